package compiler

import (
	"fmt"

	"github.com/regc/regc/lang"
)

func (c *checker) compileMigration(md *lang.MigrateDecl) {
	m := &Migration{From: md.From.Value(), Major: -1, Range: md.From.Range()}
	if md.Major != nil {
		var major int
		if _, err := fmt.Sscanf(md.Major.Text, "%d", &major); err != nil || fmt.Sprint(major) != md.Major.Text || major < 0 {
			c.diags.Errorf(lang.CodeSyntax, lang.RangeOf(md.Major.Pos, md.Major.EndPos), "a migration names a major version (a whole number), not %s", md.Major.Text)
		}
		m.Major = major
	}
	seen := map[string]lang.Range{}
	for _, sm := range md.Mappings {
		from := sm.From.Value()
		if first, dup := seen[from]; dup {
			d := c.diags.Errorf(lang.CodeDuplicateDefinition, sm.From.Range(), "stage %s is mapped twice", from)
			d.Related = &lang.Related{Range: first, Message: "first mapped here"}
			continue
		}
		seen[from] = sm.From.Range()
		m.Map = append(m.Map, StageMapping{From: from, To: c.stageRef(sm.To), Range: lang.RangeOf(sm.Pos, sm.EndPos)})
	}
	c.reg.Migrations = append(c.reg.Migrations, m)
}
