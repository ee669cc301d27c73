package mtrain_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/faults"
	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox/sandboxtest"
)

// A whole session of work, including faults and a refused login, leaves the
// password in no error and no log line.
func TestPasswordNeverLogged(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	ctx := context.Background()
	var errs []string
	st := r.Upload(t, c, "Secret_v1.0.0")
	r.Inj.Add(faults.Rule{Kind: faults.Status500, Nth: 1, Method: "POST", Path: "/"})
	r.Inj.Add(faults.Rule{Kind: faults.DropAfter, Nth: 1, Method: "POST", Path: "/add_subject"})
	c2 := r.Client(t)
	if err := c2.AddSubject(ctx, 900001, st["TRAINING_0"]); err != nil {
		t.Fatal(err)
	}
	errs = append(errs, fmt.Sprint(c2.UploadRegimen(ctx, mtraintest.SampleDoc("Secret_v1.0.0"))))
	bad := r.Client(t, func(cfg *mtrain.Config) { cfg.Password = mtrain.NewSecret(mtraintest.Password + "x") })
	errs = append(errs, fmt.Sprint(bad.Login(ctx)), fmt.Sprint(bad.SetState(ctx, 900001, st["OPHYS_0"])))
	all := r.Logs.String() + "\n" + strings.Join(errs, "\n")
	if mtrain.Leaks(all, mtraintest.Password) {
		t.Errorf("logs or errors carry the password:\n%s", all)
	}
	if !strings.Contains(all, "logged in to") || !strings.Contains(all, "login refused") && !strings.Contains(all, "wrong user or password") {
		t.Errorf("logs and errors %q: want a login and a refusal in them", all)
	}
	// Nor the session cookie.
	u, _ := url.Parse(r.Srv.URL)
	for _, ck := range mtrain.HTTPClient(c2).Jar.Cookies(u) {
		if strings.Contains(all, ck.Value) {
			t.Errorf("logs carry the session cookie")
		}
	}
	// The sandbox keeps a salted hash, never the password.
	r.SB.Close()
	data, err := os.ReadFile(r.SB.Path())
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(r.SB.Path() + "-wal")
	if mtrain.Leaks(string(data)+string(wal), mtraintest.Password) {
		t.Errorf("the sandbox database holds the password")
	}
	if mtrain.Leaks(fmt.Sprintf("%v %#v", r.SB, r.SB), mtraintest.Password) {
		t.Errorf("the sandbox prints the password")
	}
}
