package mtrain_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/mtraintest"
	"github.com/regc/regc/mtrain/sandbox/sandboxtest"
)

// stripStates rewrites the read API's answers as a server might that nests
// no states in regimens and stores parameters as a JSON string.
func stripStates(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/regimens") {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var page map[string]any
		dec := json.NewDecoder(rec.Body)
		dec.UseNumber()
		if err := dec.Decode(&page); err == nil {
			objs, _ := page["objects"].([]any)
			for _, o := range objs {
				reg := o.(map[string]any)
				delete(reg, "states")
				for _, s := range reg["stages"].([]any) {
					st := s.(map[string]any)
					b, _ := json.Marshal(st["parameters"])
					st["parameters"] = string(b)
				}
			}
			out, _ := json.Marshal(page)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			w.Write(out)
			return
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

func TestServerVariants(t *testing.T) {
	sb := sandboxtest.NewSandbox(t)
	srv := httptest.NewServer(stripStates(sb.Handler()))
	defer srv.Close()
	r := &sandboxtest.Rig{SB: sb, Srv: srv, Logs: &mtraintest.LogBuf{}}
	c := r.Client(t)
	ctx := context.Background()
	st := r.Upload(t, c, "Variant_v1.0.0")
	got, err := c.Regimen(ctx, "Variant_v1.0.0")
	if err != nil {
		t.Fatalf("Regimen: %v", err)
	}
	want, _ := mtrain.ParseDocument(mtraintest.SampleDoc("Variant_v1.0.0"))
	if diffs := mtrain.DiffDocuments(want, got.Document()); len(diffs) > 0 {
		t.Errorf("read back without nested states differs:\n%s", strings.Join(diffs, "\n"))
	}
	if err := sb.AddSubjects(ctx, st["OPHYS_0"].ID, 42, 43); err != nil {
		t.Fatal(err)
	}
	mice, err := c.Mice(ctx, "Variant_v1.0.0")
	if err != nil || len(mice) != 2 || mice[1].Stage != "OPHYS_0" {
		t.Errorf("Mice through join/states: got %+v, %v", mice, err)
	}
	if !strings.Contains(r.Logs.String(), "/api/v1/join/states/") {
		t.Errorf("Mice did not look states up through join/states")
	}
}
