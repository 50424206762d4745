-- Indexes no query uses, dropped because every import pays for them row by
-- row. people.email and people.phone are found through person_emails and
-- person_phones, which hold every address and number, the primary ones
-- too; the people list pages by id and never sorts by name.
DROP INDEX IF EXISTS people_email;
DROP INDEX IF EXISTS people_phone;
DROP INDEX IF EXISTS people_names;
