package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// CheckLoopback refuses a listen address that is not on loopback (127.0.0.0/8,
// ::1, or "localhost") unless force is set. An address with no host
// (":8080") listens everywhere and is refused too.
func CheckLoopback(addr string, force bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("sandbox: listen address %q: %w", addr, err)
	}
	if force {
		return nil
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	if ip != nil && ip.IsLoopback() {
		return nil
	}
	if host == "" {
		return fmt.Errorf("sandbox: listen address %q listens on every interface; use 127.0.0.1 (or force it)", addr)
	}
	return fmt.Errorf("sandbox: listen address %q is not loopback; use 127.0.0.1 (or force it)", addr)
}

// ListenLoopback checks addr with CheckLoopback and listens on it.
func ListenLoopback(addr string, force bool) (net.Listener, error) {
	if err := CheckLoopback(addr, force); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	return ln, nil
}

// Serve serves h on ln until ctx is done, then shuts down gracefully
// (waiting up to 5 s for requests in flight, whose writes commit before they
// answer). It returns nil after a shutdown.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	// ReadTimeout backs up the handler's own limit on the time a body
	// takes (Sandbox.BodyTimeout) for requests whose body it never reads.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * DefaultBodyTimeout, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			return serr
		}
		return err
	}
}
