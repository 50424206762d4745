package app_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/demo"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/auth/authweb"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

const (
	adminEmail = "ada@example.org"
	adminPass  = "correct horse battery staple"
	supEmail   = "sam@example.org"
	supPass    = "Supporter-Secret-Passphrase-9"
)

func sessionCookie(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == authweb.SessionCookie {
			return ck.Value
		}
	}
	return ""
}

// linkFromOutbox returns the newest link with the given path prefix mailed to to.
func linkFromOutbox(t *testing.T, n *apptest.Node, to, prefix string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	re := regexp.MustCompile(regexp.QuoteMeta(n.URL+prefix) + `[A-Za-z0-9_\-]+`)
	for time.Now().Before(deadline) {
		list, err := n.App.Mail.Outbox(context.Background(), mail.OutboxFilter{To: to, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range list {
			if l := re.FindString(m.Text); l != "" {
				return l
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no mail to %s with a link %s…", to, prefix)
	return ""
}

func TestSecurity(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		n.CreateUser(t, supEmail, supPass, auth.RoleSupporter)

		t.Run("EveryPageCarriesCSP", func(t *testing.T) {
			admin := apptest.Client(t)
			n.Login(t, admin, adminEmail, adminPass)
			anon := apptest.Client(t)
			pages := []struct {
				c    *http.Client
				path string
			}{
				{anon, "/"}, {anon, "/login"}, {anon, "/signup"}, {anon, "/forgot"}, {anon, "/no-such-page"},
				{anon, "/healthz"}, {anon, "/dashboard"},
				{admin, "/dashboard"}, {admin, "/account"}, {admin, "/admin"}, {admin, "/admin/users"},
				{admin, "/admin/audit"}, {admin, "/admin/outbox"}, {admin, "/admin/jobs"},
			}
			for _, p := range pages {
				res := apptest.Get(t, p.c, n.URL+p.path)
				csp := res.Header.Get("Content-Security-Policy")
				if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
					t.Errorf("%s: CSP = %q", p.path, csp)
				}
				if res.Header.Get("X-Content-Type-Options") != "nosniff" {
					t.Errorf("%s: no nosniff", p.path)
				}
				if res.Header.Get("Strict-Transport-Security") != "" {
					t.Errorf("%s: HSTS sent over plain HTTP", p.path)
				}
				if res.Status >= 500 {
					t.Errorf("%s: status %d", p.path, res.Status)
				}
			}
		})

		t.Run("CrossOriginPOSTRefused", func(t *testing.T) {
			c := apptest.Client(t)
			form := url.Values{"email": {adminEmail}, "password": {adminPass}}
			for _, h := range []map[string]string{
				{"Sec-Fetch-Site": "cross-site"},
				{"Origin": "https://evil.example"},
			} {
				req, _ := http.NewRequest("POST", n.URL+"/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				for k, v := range h {
					req.Header.Set(k, v)
				}
				res := apptest.Do(t, c, req)
				if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "another site") {
					t.Errorf("cross-origin POST with %v: status %d", h, res.Status)
				}
				if sessionCookie(t, c, n.URL) != "" {
					t.Errorf("a cross-origin login set a session cookie")
				}
			}
		})

		t.Run("SessionIDChangesAtLogin", func(t *testing.T) {
			c := apptest.Client(t)
			n.Login(t, c, supEmail, supPass)
			first := sessionCookie(t, c, n.URL)
			n.Login(t, c, supEmail, supPass)
			second := sessionCookie(t, c, n.URL)
			if first == "" || second == "" || first == second {
				t.Fatalf("session cookie before %q, after %q: want two different ids", first, second)
			}
		})

		t.Run("UsedLinkRefused", func(t *testing.T) {
			c := apptest.Client(t)
			res := apptest.PostForm(t, c, n.URL+"/login/link", url.Values{"link_email": {supEmail}})
			if res.Status != http.StatusSeeOther {
				t.Fatalf("request link: %d", res.Status)
			}
			link := linkFromOutbox(t, n, supEmail, "/login/link/")
			if got := apptest.Get(t, c, link); got.Status != http.StatusOK || sessionCookie(t, c, n.URL) != "" {
				t.Fatalf("GET on a login link must only show a button (status %d)", got.Status)
			}
			if got := apptest.PostForm(t, c, link, nil); got.Status != http.StatusSeeOther || sessionCookie(t, c, n.URL) == "" {
				t.Fatalf("first use of the link: status %d", got.Status)
			}
			again := apptest.PostForm(t, apptest.Client(t), link, nil)
			if again.Status == http.StatusSeeOther || !strings.Contains(again.Body, "expired or has already been used") {
				t.Fatalf("second use of the link: status %d, want it refused", again.Status)
			}
		})

		t.Run("LoginThrottled", func(t *testing.T) {
			c := apptest.Client(t)
			var last apptest.Response
			for i := 0; i < 7; i++ {
				last = apptest.PostForm(t, c, n.URL+"/login", url.Values{"email": {adminEmail}, "password": {"wrong password " + string(rune('a'+i))}})
			}
			if last.Status != http.StatusTooManyRequests || !strings.Contains(last.Body, "try again in") {
				t.Fatalf("after 7 failures: status %d, want 429 with a wait", last.Status)
			}
		})

		t.Run("SupporterRefusedAdmin", func(t *testing.T) {
			c := apptest.Client(t)
			n.Login(t, c, supEmail, supPass)
			for _, p := range []string{"/admin", "/admin/audit", "/admin/outbox", "/admin/jobs", "/admin/users"} {
				res := apptest.Get(t, c, n.URL+p)
				if res.Status != http.StatusForbidden {
					t.Errorf("%s: status %d, want 403", p, res.Status)
				}
				if !strings.Contains(res.Body, "permission") || strings.Contains(res.Body, "forbidden:") {
					t.Errorf("%s: the 403 page should say so plainly and show no internal text", p)
				}
				if id := res.Header.Get("X-Request-Id"); id == "" || !strings.Contains(res.Body, id) {
					t.Errorf("%s: the error page should show the request id %q", p, id)
				}
			}
			res := apptest.PostForm(t, c, n.URL+"/admin/announce", url.Values{"message": {"take over"}})
			if res.Status != http.StatusForbidden {
				t.Errorf("supporter announce: status %d", res.Status)
			}
		})

		t.Run("NoSecretsInLogs", func(t *testing.T) {
			logs := n.Logs.String()
			for _, secret := range []string{adminPass, supPass} {
				if strings.Contains(logs, secret) {
					t.Errorf("a password reached the logs")
				}
			}
			for _, m := range regexp.MustCompile(`/login/link/([A-Za-z0-9_\-]+)`).FindAllStringSubmatch(allMail(t, n), -1) {
				if strings.Contains(logs, m[1]) {
					t.Errorf("a login-link token reached the logs")
				}
			}
			if !strings.Contains(logs, `"route":"POST /login"`) {
				t.Errorf("request log lines are missing: the check above proves nothing")
			}
		})
	})
}

func allMail(t *testing.T, n *apptest.Node) string {
	list, err := n.App.Mail.Outbox(context.Background(), mail.OutboxFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, m := range list {
		b.WriteString(m.Text)
	}
	return b.String()
}

func TestOperations(t *testing.T) {
	n := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.MetricsToken = metricsToken }})
	c := apptest.Client(t)
	if res := apptest.Get(t, c, n.URL+"/healthz"); res.Status != 200 {
		t.Errorf("/healthz: %d", res.Status)
	}
	if res := apptest.Get(t, c, n.URL+"/readyz"); res.Status != 200 || !strings.Contains(res.Body, "ready") {
		t.Errorf("/readyz: %d %s", res.Status, res.Body)
	}
	apptest.Get(t, c, n.URL+"/login")
	res := getMetrics(t, c, n.URL+"/metrics", metricsToken)
	if res.Status != 200 || !strings.Contains(res.Body, `momentum_http_requests_total{code="200",method="GET",route="GET /login"}`) ||
		!strings.Contains(res.Body, "go_goroutines") {
		t.Errorf("/metrics lacks request counts by route or runtime metrics")
	}
	n.App.DB.Close()
	if res := apptest.Get(t, c, n.URL+"/readyz"); res.Status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database closed: %d, want 503", res.Status)
	}
}

// TestDemoAdminLogsIn: the demo loads through the real importer and group
// services, the credentials it prints log in, and the network is there:
// people, groups with organisers, members on the dashboard.
func TestDemoAdminLogsIn(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		nw := demo.Generate(1, 400)
		var created bool
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Before: func(ctx context.Context, a *app.App) (err error) {
			created, err = demo.Load(ctx, a, nw)
			return err
		}})
		if !created {
			t.Fatalf("demo.Load created nothing in an empty database")
		}
		again, err := demo.Load(context.Background(), n.App, nw)
		if err != nil || again {
			t.Fatalf("a second demo.Load must leave the data alone: %v, %v", again, err)
		}
		personas, err := demo.Personas(context.Background(), n.App, nw)
		if err != nil || len(personas) != 3 {
			t.Fatalf("Personas = %v, %v", personas, err)
		}
		var people, groupCount, organisers int
		ctx := context.Background()
		n.App.DB.QueryRow(ctx, `SELECT count(*) FROM people`).Scan(&people)
		n.App.DB.QueryRow(ctx, `SELECT count(*) FROM groups`).Scan(&groupCount)
		n.App.DB.QueryRow(ctx, `SELECT count(*) FROM group_members WHERE role = 'organiser'`).Scan(&organisers)
		if people < 400 || groupCount != 162 || organisers < 100 {
			t.Fatalf("demo holds %d people, %d groups, %d organisers", people, groupCount, organisers)
		}
		var onTop, donors int
		n.App.DB.QueryRow(ctx, `SELECT count(*) FROM people WHERE ladder = 'organiser'`).Scan(&onTop)
		n.App.DB.QueryRow(ctx, `SELECT count(DISTINCT person_id) FROM donations`).Scan(&donors)
		if onTop < 100 || donors < 20 {
			t.Fatalf("engagement ladder: %d organisers on the top rung, %d donors; the ladder is not computed from what people do", onTop, donors)
		}
		for _, p := range personas {
			c := apptest.Client(t)
			n.Login(t, c, p.Email, p.Password)
			dash := apptest.Get(t, c, n.URL+"/dashboard")
			if dash.Status != 200 {
				t.Fatalf("%s dashboard: %d", p.Role, dash.Status)
			}
			if p.Role == "organiser" && !strings.Contains(dash.Body, "organiser") {
				t.Errorf("the organiser's dashboard does not show their group role")
			}
		}
	})
}

// TestAnnouncementReachesSSE: an admin's announcement arrives on a signed-in
// member's live stream (on one node; the two-node test covers PostgreSQL
// fan-out between processes).
func TestAnnouncementReachesSSE(t *testing.T) {
	n := apptest.Start(t, apptest.Options{})
	n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
	n.CreateUser(t, supEmail, supPass, auth.RoleSupporter)
	admin, member := apptest.Client(t), apptest.Client(t)
	n.Login(t, admin, adminEmail, adminPass)
	n.Login(t, member, supEmail, supPass)

	if res := apptest.Get(t, apptest.Client(t), n.URL+"/live/announcements"); res.Status != http.StatusUnauthorized {
		t.Fatalf("anonymous stream: %d, want 401", res.Status)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", n.URL+"/live/announcements", nil)
	member.Timeout = 0
	res, err := member.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// The subscription starts when the handler runs; announce until it lands.
	msg := "The rally has moved to the square"
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("stream ended before the announcement arrived")
			}
			if l == "data: "+msg {
				return
			}
		case <-tick.C:
			if r := apptest.PostForm(t, admin, n.URL+"/admin/announce", url.Values{"message": {msg}}); r.Status != http.StatusSeeOther {
				t.Fatalf("announce: %d", r.Status)
			}
		case <-ctx.Done():
			t.Fatal("the announcement never reached the stream")
		}
	}
}

// TestAdminJobsPage: test jobs run, show on the jobs page and leave audit
// entries that the audit page filters.
func TestAdminJobsPage(t *testing.T) {
	n := apptest.Start(t, apptest.Options{})
	n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
	c := apptest.Client(t)
	n.Login(t, c, adminEmail, adminPass)
	res := apptest.PostForm(t, c, n.URL+"/admin/jobs/ping", url.Values{"count": {"3"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("ping: %d", res.Status)
	}
	auditURL := n.URL + res.Header.Get("Location")
	deadline := time.Now().Add(10 * time.Second)
	for {
		page := apptest.Get(t, c, auditURL)
		if strings.Count(page.Body, ">job.ping<") == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("3 ping entries never appeared on %s", auditURL)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// River records completions in batches, a moment after the work is done.
	for {
		jobsPage := apptest.Get(t, c, n.URL+"/admin/jobs?state=completed")
		if jobsPage.Status == 200 && strings.Count(jobsPage.Body, "<code>admin.ping</code>") == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/admin/jobs does not list the 3 completed ping jobs:\n%s", jobsPage.Body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if bad := apptest.PostForm(t, c, n.URL+"/admin/jobs/ping", url.Values{"count": {"5000"}}); bad.Status != http.StatusBadRequest && bad.Status != http.StatusUnprocessableEntity {
		t.Fatalf("5000 test jobs: %d, want refused", bad.Status)
	}
}

// TestAdminTokens: an admin creates a token on the page, sees it once, it
// authenticates, and once revoked it no longer does.
func TestAdminTokens(t *testing.T) {
	n := apptest.Start(t, apptest.Options{})
	n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
	c := apptest.Client(t)
	n.Login(t, c, adminEmail, adminPass)
	res := apptest.PostForm(t, c, n.URL+"/admin/tokens", url.Values{"name": {"CRM sync"},
		"consent_wording": {"Yes, email me about the campaign."}}) // issue 14: signups it sends as subscribed agree to this
	plain := regexp.MustCompile(`mtm_[A-Za-z0-9_\-]+`).FindString(res.Body)
	if res.Status != 200 || plain == "" {
		t.Fatalf("create token: %d, no token shown", res.Status)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Error("the page showing a new token must not be cached")
	}
	again := apptest.Get(t, c, n.URL+"/admin/tokens")
	if strings.Contains(again.Body, plain) {
		t.Fatal("the token is shown a second time")
	}
	if !strings.Contains(again.Body, "Yes, email me about the campaign.") {
		t.Error("the token list does not show the token's consent wording")
	}
	if _, err := n.App.Auth.AuthenticateAPIToken(context.Background(), plain); err != nil {
		t.Fatalf("the new token does not authenticate: %v", err)
	}
	id := regexp.MustCompile(`/admin/tokens/([^/]+)/revoke`).FindStringSubmatch(apptest.Get(t, c, n.URL+"/admin/tokens").Body)
	if id == nil {
		t.Fatal("no revoke button")
	}
	if r := apptest.PostForm(t, c, n.URL+"/admin/tokens/"+id[1]+"/revoke", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.Status)
	}
	if _, err := n.App.Auth.AuthenticateAPIToken(context.Background(), plain); err == nil {
		t.Fatal("a revoked token still authenticates")
	}
	empty := apptest.PostForm(t, c, n.URL+"/admin/tokens", url.Values{"name": {""}})
	if empty.Status != http.StatusUnprocessableEntity || !strings.Contains(empty.Body, "f-name-error") {
		t.Fatalf("a nameless token: %d, want the error beside the field", empty.Status)
	}
}

// TestAPIEntryPoint: the OSDI entry point answers a token with HAL links and
// refuses a request without one with a JSON 401.
func TestAPIEntryPoint(t *testing.T) {
	n := apptest.Start(t, apptest.Options{})
	ctx := auth.WithSystem(context.Background())
	plain, _, err := n.App.Auth.CreateAPIToken(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	c := apptest.Client(t)
	anon := apptest.Get(t, c, n.URL+"/api/v1")
	if anon.Status != http.StatusUnauthorized || !strings.Contains(anon.Body, `"code":"unauthorized"`) {
		t.Fatalf("no token: %d %s", anon.Status, anon.Body)
	}
	req, _ := http.NewRequest("GET", n.URL+"/api/v1", nil)
	req.Header.Set("OSDI-API-Token", plain)
	res := apptest.Do(t, c, req)
	if res.Status != 200 || res.Header.Get("Content-Type") != "application/hal+json" ||
		!strings.Contains(res.Body, `"osdi_version":"1.1"`) || !strings.Contains(res.Body, `"curies"`) {
		t.Fatalf("entry point: %d %s %s", res.Status, res.Header.Get("Content-Type"), res.Body)
	}
}

// TestDataRights: a person downloads everything held on them, then erases
// it; afterwards no personal value of theirs is left in any table and they
// can no longer log in, while the network's counts stay right.
func TestDataRights(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		const email, pass = "rosa.lux@example.org", "Rosa-Secret-Passphrase-1871"
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		u := n.CreateUser(t, email, pass, auth.RoleMember)
		c := apptest.Client(t)
		n.Login(t, c, email, pass)
		page := apptest.Get(t, c, n.URL+"/account/data")
		if page.Status != 200 || !strings.Contains(page.Body, email) {
			t.Fatalf("/account/data: %d", page.Status)
		}
		js := apptest.Get(t, c, n.URL+"/account/data.json")
		if js.Status != 200 || !strings.Contains(js.Body, email) || !strings.Contains(js.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("/account/data.json: %d %s", js.Status, js.Header.Get("Content-Disposition"))
		}
		if other := apptest.Get(t, apptest.Client(t), n.URL+"/account/data.json"); other.Status != http.StatusUnauthorized {
			t.Fatalf("anonymous data download: %d", other.Status)
		}
		if len(findValue(t, n, email)) < 3 {
			t.Fatal("before erasure the scan should find the email in users, people and person_emails: the scan proves nothing")
		}
		var before int
		n.App.DB.QueryRow(context.Background(), `SELECT count(*) FROM people`).Scan(&before)
		if r := apptest.PostForm(t, c, n.URL+"/account/erase", url.Values{"confirm": {"no"}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("erase without confirmation: %d", r.Status)
		}
		if r := apptest.PostForm(t, c, n.URL+"/account/erase", url.Values{"confirm": {"erase"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("erase: %d", r.Status)
		}
		var after int
		n.App.DB.QueryRow(context.Background(), `SELECT count(*) FROM people`).Scan(&after)
		if after != before {
			t.Errorf("people count changed from %d to %d: erasure must anonymise, not delete", before, after)
		}
		for _, leak := range findValue(t, n, email, "rosa", "Rosa") {
			t.Errorf("after erasure %s", leak)
		}
		if r := apptest.PostForm(t, apptest.Client(t), n.URL+"/login", url.Values{"email": {email}, "password": {pass}}); r.Status == http.StatusSeeOther {
			t.Error("an erased person can still log in")
		}
		_ = u
	})
}

// findValue scans every text column of every table for the values and
// returns where it found them.
func findValue(t *testing.T, n *apptest.Node, values ...string) []string {
	t.Helper()
	ctx := context.Background()
	d := n.App.DB
	var tables []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if d.Dialect == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`
	}
	rows, err := d.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	var found []string
	for _, table := range tables {
		rs, err := d.Query(ctx, `SELECT * FROM `+table)
		if err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		cols, _ := rs.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				var s string
				switch x := v.(type) {
				case string:
					s = x
				case []byte:
					s = string(x)
				}
				for _, want := range values {
					if s != "" && strings.Contains(s, want) {
						found = append(found, table+"."+cols[i]+" still holds "+strconv.Quote(want))
					}
				}
			}
		}
		rs.Close()
	}
	return found
}
