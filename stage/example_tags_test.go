package stage_test

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// Read a resource's tags after changing them: Tag adds or replaces, Untag removes, Tags returns what the
// resource holds now (an empty map when it holds none).
func ExampleClient_Tags() {
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	st, _, err := stages.Create(ctx, stage.New().WithName("tagged"))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := stages.Tag(ctx, st.ARN, map[string]string{"team": "events", "env": "prod"}); err != nil {
		fmt.Println(err)
		return
	}
	if err := stages.Untag(ctx, st.ARN, "env"); err != nil {
		fmt.Println(err)
		return
	}
	tags, err := stages.Tags(ctx, st.ARN)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		fmt.Printf("%s=%s\n", k, tags[k])
	}

	if err := stages.Untag(ctx, st.ARN, "team"); err != nil {
		fmt.Println(err)
		return
	}
	tags, err = stages.Tags(ctx, st.ARN)
	fmt.Println("tags:", len(tags), "nil:", tags == nil, "err:", err)

	_, err = stages.Tags(ctx, "not an ARN")
	fmt.Println(err != nil)
	// Output:
	// team=events
	// tags: 0 nil: false err: <nil>
	// true
}
