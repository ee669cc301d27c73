package lazyre

import "testing"

func TestNewCompilesOnceOnFirstUse(t *testing.T) {
	re := New(`^a+$`)
	first := re.Re()
	if !first.MatchString("aaa") || first.MatchString("ab") {
		t.Fatalf("%v matches wrongly", first)
	}
	if re.Re() != first {
		t.Error("a second call compiled the expression again")
	}
}

func TestNewPanicsOnUseNotCreation(t *testing.T) {
	re := New(`(`) // creating it must not compile it
	defer func() {
		if recover() == nil {
			t.Error("an invalid expression did not panic on first use")
		}
	}()
	re.Re()
}

func TestCompiledCounts(t *testing.T) {
	re := New(`^b+$`)
	before := Compiled()
	re.Re()
	re.Re()
	if got := Compiled() - before; got != 1 {
		t.Errorf("compiling one expression (used twice) counted %d", got)
	}
}
