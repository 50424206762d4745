package people

// issue 14 (actions): other capabilities that store tags to apply later
// (a petition's tags) check them by the same rules as Tag does.

// CleanTags trims each tag and checks it as Tag would (1 to 100
// characters, no commas or semicolons), naming field in the error.
//
// Errors: errs.Invalid naming field.
func CleanTags(tags []string, field string) ([]string, error) { return cleanTags(tags, field) }
