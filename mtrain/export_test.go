package mtrain

import "net/http"

// What the external tests (package mtrain_test, which run the client
// against package sandbox) need of the client's insides.

var (
	ConfirmsLogin = confirmsLogin
	Leaks         = leaks
)

// HTTPClient returns c's HTTP client.
func HTTPClient(c *Client) *http.Client { return c.hc }

// URL returns the URL c sends route to.
func URL(c *Client, route string) string { return c.url(route) }

// Follow makes c2 carry on c's session: the same cookie jar (cookies are
// kept per host, not per port), already logged in.
func Follow(c2, c *Client) {
	c2.hc.Jar = c.hc.Jar
	c2.loggedIn = c.LoggedIn()
}
