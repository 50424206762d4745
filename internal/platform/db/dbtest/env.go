package dbtest

import "os"

func lookupEnv() string { return os.Getenv(EnvPostgres) }
