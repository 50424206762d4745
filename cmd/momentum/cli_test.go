package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

// cliResult is what one in-process command line left behind.
type cliResult struct {
	Stdout, Stderr string
	Err            error
}

// runCLI runs args through Run with its own streams and an environment that
// holds only vars (nothing leaks in from the real one, such as a
// MOMENTUM_DATABASE_URL in the developer's shell).
func runCLI(t *testing.T, vars map[string]string, stdin string, args ...string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Getenv: func(k string) string { return vars[k] },
	}
	err := Run(context.Background(), env, args)
	return cliResult{Stdout: out.String(), Stderr: errOut.String(), Err: err}
}

// dataEnv is an environment pointing at a fresh SQLite data folder.
func dataEnv(t *testing.T) map[string]string {
	t.Helper()
	return map[string]string{"MOMENTUM_DATA": filepath.Join(t.TempDir(), "data"), "MOMENTUM_LOG_LEVEL": "warn"}
}

func mustRun(t *testing.T, vars map[string]string, stdin string, args ...string) cliResult {
	t.Helper()
	r := runCLI(t, vars, stdin, args...)
	if r.Err != nil {
		t.Fatalf("momentum %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.Err, r.Stdout, r.Stderr)
	}
	return r
}

func TestHelpListsEveryCommand(t *testing.T) {
	t.Parallel()
	r := mustRun(t, nil, "", "help")
	for _, c := range commands() {
		if !strings.Contains(r.Stdout, "  "+c.name+" ") || !strings.Contains(r.Stdout, c.summary) {
			t.Errorf("help does not list %q (%s):\n%s", c.name, c.summary, r.Stdout)
		}
	}
}

func TestCommandHelp(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"serve", "migrate", "demo", "user", "token", "version"} {
		t.Run(cmd, func(t *testing.T) {
			for _, args := range [][]string{{cmd, "-h"}, {"help", cmd}} {
				r := runCLI(t, nil, "", args...)
				if r.Err != nil {
					t.Fatalf("momentum %s: %v", strings.Join(args, " "), r.Err)
				}
				out := r.Stdout + r.Stderr
				for _, want := range []string{"Usage:", "Example:", "momentum " + cmd} {
					if !strings.Contains(out, want) {
						t.Errorf("momentum %s: no %q in\n%s", strings.Join(args, " "), want, out)
					}
				}
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	r := runCLI(t, nil, "", "frobnicate")
	if r.Err == nil {
		t.Fatal("an unknown command succeeded")
	}
	if !strings.Contains(r.Stderr, `unknown command "frobnicate"`) || !strings.Contains(r.Stderr, "Usage:") {
		t.Errorf("stderr does not name the command and show the usage:\n%s", r.Stderr)
	}
	if r.Stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.Stdout)
	}
	if r := runCLI(t, nil, ""); r.Err == nil || !strings.Contains(r.Stderr, "Usage:") {
		t.Errorf("no command: err %v, stderr:\n%s", r.Err, r.Stderr)
	}
}

var pendingRow = regexp.MustCompile(`(?m)^\d{4}\s+\S+\s+pending$`)

func TestMigrate(t *testing.T) {
	t.Parallel()
	env := dataEnv(t)

	status := mustRun(t, env, "", "migrate", "status")
	pending := len(pendingRow.FindAllString(status.Stdout, -1))
	if pending == 0 || !strings.Contains(status.Stdout, strconv.Itoa(pending)+" pending") {
		t.Fatalf("fresh database: want pending migrations listed:\n%s", status.Stdout)
	}
	if !strings.Contains(status.Stdout, "SQLite at "+env["MOMENTUM_DATA"]) {
		t.Errorf("status does not name the database:\n%s", status.Stdout)
	}

	up := mustRun(t, env, "", "migrate", "up")
	if want := "applied " + strconv.Itoa(pending) + " migration(s)"; !strings.Contains(up.Stdout, want) {
		t.Errorf("migrate up: want %q in %q", want, up.Stdout)
	}

	status = mustRun(t, env, "", "migrate", "status")
	if pendingRow.MatchString(status.Stdout) || !strings.Contains(status.Stdout, "\n0 pending") {
		t.Errorf("after up, migrations still pending:\n%s", status.Stdout)
	}
	if up := mustRun(t, env, "", "migrate", "up"); !strings.Contains(up.Stdout, "applied 0 migration(s)") {
		t.Errorf("second migrate up: %q", up.Stdout)
	}

	if r := runCLI(t, env, "", "migrate", "sideways"); r.Err == nil || !strings.Contains(r.Stderr, "Usage:") {
		t.Errorf("migrate sideways: err %v, stderr:\n%s", r.Err, r.Stderr)
	}
}

func TestUserCreateAdmin(t *testing.T) {
	t.Parallel()
	env := dataEnv(t)
	t.Run("PasswordOnStdin", func(t *testing.T) {
		r := mustRun(t, env, "a long passphrase\n", "user", "create-admin", "--email", "a@example.org")
		if !strings.Contains(r.Stdout, "admin a@example.org is ready") {
			t.Errorf("stdout: %q", r.Stdout)
		}
	})
	cases := []struct {
		name, stdin string
		args        []string
		want        []string
	}{
		{"ShortPassword", "", []string{"--email", "b@example.org", "--password", "short"},
			[]string{"--password", "at least 10 characters"}},
		{"BadEmail", "", []string{"--email", "not-an-email", "--password", "a long passphrase"},
			[]string{"--email", "email address"}},
		{"NothingOnStdin", "", []string{"--email", "c@example.org"},
			[]string{"--password", "standard input"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, env, c.stdin, append([]string{"user", "create-admin"}, c.args...)...)
			if r.Err == nil {
				t.Fatalf("succeeded: %q", r.Stdout)
			}
			for _, w := range c.want {
				if !strings.Contains(r.Err.Error(), w) {
					t.Errorf("error %q does not mention %q", r.Err, w)
				}
			}
		})
	}
	t.Run("NoSubcommand", func(t *testing.T) {
		r := runCLI(t, env, "", "user")
		if !errors.Is(r.Err, errUsageShown) || !strings.Contains(r.Stderr, "create-admin") {
			t.Errorf("err %v, stderr:\n%s", r.Err, r.Stderr)
		}
	})
}

func TestTokenCreate(t *testing.T) {
	t.Parallel()
	env := dataEnv(t)
	r := mustRun(t, env, "", "token", "create", "--name", "CRM sync")
	token := strings.TrimSpace(r.Stdout)
	if !strings.HasPrefix(token, "mtm_") || strings.Contains(token, "\n") {
		t.Fatalf("stdout = %q, want one token starting mtm_", r.Stdout)
	}

	cfg, err := config.Load("", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.New(ctx, cfg, slog.New(slog.DiscardHandler), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	tok, err := a.Auth.AuthenticateAPIToken(ctx, token)
	if err != nil {
		t.Fatalf("the printed token does not authenticate: %v", err)
	}
	if tok.Name != "CRM sync" {
		t.Errorf("token name = %q", tok.Name)
	}
	if _, err := a.Auth.AuthenticateAPIToken(ctx, token+"x"); err == nil {
		t.Error("a wrong token authenticated")
	}

	if r := runCLI(t, env, "", "token", "create"); r.Err == nil || !strings.Contains(r.Stderr, "--name") {
		t.Errorf("token create without --name: err %v, stderr:\n%s", r.Err, r.Stderr)
	}

	// Issue 14 (apipeople): a token carries its forms' consent wording.
	r = mustRun(t, env, "", "token", "create", "--name", "Website forms", "--consent-wording", "Email me about the campaign.")
	forms, err := a.Auth.AuthenticateAPIToken(ctx, strings.TrimSpace(r.Stdout))
	if err != nil || forms.ConsentWording != "Email me about the campaign." {
		t.Errorf("token = %+v, %v; want the consent wording", forms, err)
	}
	if r := mustRun(t, env, "", "token", "create", "--help"); !strings.Contains(r.Stdout+r.Stderr, "--consent-wording") {
		t.Errorf("token create --help does not explain --consent-wording:\n%s%s", r.Stdout, r.Stderr)
	}
}

var demoLogin = regexp.MustCompile(`admin: +(\S+@\S+)  password: (\S+)`)

func TestDemo(t *testing.T) {
	t.Parallel()
	demo := func(env map[string]string) (email, password string) {
		t.Helper()
		r := mustRun(t, env, "", "demo", "--people", "50", "--seed", "7")
		m := demoLogin.FindStringSubmatch(r.Stdout)
		if m == nil || !strings.Contains(r.Stdout, "50 people") {
			t.Fatalf("demo did not print the network and admin login:\n%s", r.Stdout)
		}
		return m[1], m[2]
	}
	env := dataEnv(t)
	email, pass := demo(env)

	again := runCLI(t, env, "", "demo", "--people", "50", "--seed", "7")
	if again.Err == nil || !strings.Contains(again.Err.Error(), "already holds data") {
		t.Errorf("second demo on the same folder: err %v", again.Err)
	}

	email2, pass2 := demo(dataEnv(t))
	if email2 != email || pass2 != pass {
		t.Errorf("same seed, different admin: %s/%s then %s/%s", email, pass, email2, pass2)
	}
	if len(pass) < 10 {
		t.Errorf("demo password %q is shorter than the password rule allows", pass)
	}

	if r := runCLI(t, dataEnv(t), "", "demo", "--people", "-1"); r.Err == nil {
		t.Error("demo --people -1 succeeded")
	}
}

func TestServeBadAddr(t *testing.T) {
	t.Parallel()
	env := dataEnv(t)
	env["MOMENTUM_ADDR"] = "nonsense"
	r := runCLI(t, env, "", "serve")
	if r.Err == nil || !strings.Contains(r.Err.Error(), "MOMENTUM_ADDR") {
		t.Fatalf("serve with MOMENTUM_ADDR=nonsense: err %v", r.Err)
	}
	if strings.Contains(r.Stdout, "serving") {
		t.Errorf("serve claimed to be serving:\n%s", r.Stdout)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	r := mustRun(t, nil, "", "version")
	if r.Stdout != "momentum dev\n" {
		t.Errorf("version printed %q", r.Stdout)
	}
}
