package rctab

import (
	"context"
	"errors"
)

// Convert reads the CVR sources of the contest configured at configPath
// and writes them in the two interchange formats RCTab converts to: NIST
// CDF JSON (<name>_cdf_cvr.json) and RCTab's CSV of cast vote records
// (<name>.csv), where <name> is ReportName(configPath).
//
// CONTRACT (issue 15): implemented by the CDF output work.
func Convert(ctx context.Context, configPath, outDir string) error {
	return errors.New("rctab: conversion is not implemented yet")
}
