package app_test

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

const metricsToken = "test-metrics-token-0123456789"

// getMetrics fetches u with the bearer token ("" for none).
func getMetrics(t *testing.T, c *http.Client, u, token string) apptest.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return apptest.Do(t, c, req)
}

// freeAddr returns a 127.0.0.1 address nothing listens on (a moment ago).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// getWhenUp is getMetrics for a listener the node opens as it starts:
// it retries a refused connection for up to five seconds.
func getWhenUp(t *testing.T, c *http.Client, u, token string) apptest.Response {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		req, _ := http.NewRequest("GET", u, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := c.Do(req)
		if err != nil {
			continue
		}
		res.Body.Close()
		break
	}
	return getMetrics(t, c, u, token)
}

// TestMetricsExposure: /metrics is served only behind its token or on its
// own address (SECURITY.md, "Metrics").
func TestMetricsExposure(t *testing.T) {
	isMetrics := func(r apptest.Response) bool { return r.Status == 200 && strings.Contains(r.Body, "go_goroutines") }
	c := apptest.Client(t)

	t.Run("NotServedByDefault", func(t *testing.T) {
		n := apptest.Start(t, apptest.Options{})
		if res := getMetrics(t, c, n.URL+"/metrics", ""); res.Status != http.StatusNotFound || strings.Contains(res.Body, "go_goroutines") {
			t.Fatalf("/metrics with no token or address configured: %d, want 404", res.Status)
		}
	})
	t.Run("TokenOnMainAddress", func(t *testing.T) {
		n := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.MetricsToken = metricsToken }})
		for _, tok := range []string{"", "wrong-token-wrong-token-wrong"} {
			if res := getMetrics(t, c, n.URL+"/metrics", tok); res.Status != http.StatusUnauthorized || strings.Contains(res.Body, "go_goroutines") {
				t.Errorf("/metrics with token %q: %d, want 401", tok, res.Status)
			}
		}
		if res := getMetrics(t, c, n.URL+"/metrics", metricsToken); !isMetrics(res) {
			t.Errorf("/metrics with the token: %d", res.Status)
		}
	})
	t.Run("OwnAddress", func(t *testing.T) {
		addr := freeAddr(t)
		n := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.MetricsAddr = addr }})
		if res := getWhenUp(t, c, "http://"+addr+"/metrics", ""); !isMetrics(res) {
			t.Errorf("/metrics on its own address: %d", res.Status)
		}
		if res := getMetrics(t, c, "http://"+addr+"/login", ""); res.Status != http.StatusNotFound {
			t.Errorf("the metrics address served /login: %d", res.Status)
		}
		if res := getMetrics(t, c, n.URL+"/metrics", ""); res.Status != http.StatusNotFound {
			t.Errorf("/metrics on the main address when it has its own: %d, want 404", res.Status)
		}
	})
	t.Run("OwnAddressAndToken", func(t *testing.T) {
		addr := freeAddr(t)
		n := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.MetricsAddr, c.MetricsToken = addr, metricsToken }})
		if res := getWhenUp(t, c, "http://"+addr+"/metrics", ""); res.Status != http.StatusUnauthorized {
			t.Errorf("own address without the token: %d, want 401", res.Status)
		}
		if res := getMetrics(t, c, "http://"+addr+"/metrics", metricsToken); !isMetrics(res) {
			t.Errorf("own address with the token: %d", res.Status)
		}
		// (The session middleware takes the bearer token for an unknown API
		// token: 401.)
		if res := getMetrics(t, c, n.URL+"/metrics", metricsToken); isMetrics(res) || res.Status < 400 {
			t.Errorf("main address with the token when metrics have their own: %d, want them refused", res.Status)
		}
	})
}
