// Package secretsweep_test is a secrets sweep of the library: it renders every output the token, stage,
// recording and stage/event packages and stagetest produce on their error, format and log paths (fmt verbs,
// slog handlers, JSON, error trees, every string an error's fields hold walked by reflection, IndexErrors,
// testify messages) and checks that none shows a participant token's bearer string (API or self-signed, or
// a segment of one) or private key material (PEM, DER, hex), outside the limits token.Token documents.
// The outputs of sessions, participants, recording and events are swept from a recorded session played out
// on stagetest (recorded_test.go: participants and their attributes, sessions, replicas, events, metadata
// files, storage configurations, Join's refusals) and from its parsers and builders given tampered input
// and misplaced secrets; answers cut short around bearer strings (httpmock) are swept through the clients'
// error chains; leaks found in code outside this package are listed as open findings (findings_test.go)
// until their fix lands.
package secretsweep_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

// Documented limits (the doc comments of token.Token and token.Signer): the bearer string is the point of
// Value and MarshalJSON, slog's JSON handler encodes a container of Tokens (slice, map, struct field) with
// MarshalJSON, and reflective dumpers reach unexported fields: the bearer string, and a Signer's private
// key (testify's go-spew diff prints its big.Int words).
const (
	limitMarshalJSON = "Token.MarshalJSON carries the bearer (JSON is for browsers)"
	limitSlogJSON    = "slog's JSON handler encodes a container of Tokens with MarshalJSON"
	limitSpew        = "dumpers that follow pointers by reflection (go-spew in testify's diffs) reach unexported fields"
)

// sweep builds the table of producers and the set of secrets.
type sweep struct {
	t         *testing.T
	secrets   secretSet
	producers []producer
}

func (s *sweep) add(p producer) { s.producers = append(s.producers, p) }

// text adds a producer of fixed texts.
func (s *sweep) text(group, name string, texts ...string) {
	s.add(producer{group: group, name: name, produce: func() []string { return texts }})
}

// limited adds a producer of fixed texts that a documented limit lets show a secret.
func (s *sweep) limited(group, name, limit string, texts ...string) {
	s.add(producer{group: group, name: name, limit: limit, produce: func() []string { return texts }})
}

// value adds one producer per renderer for v; limits maps a renderer's name to the documented limit that
// applies to it.
func (s *sweep) value(group, name string, v any, limits map[string]string) {
	for _, r := range renderers {
		s.add(producer{group: group, name: name + " | " + r.name, limit: limits[r.name],
			produce: func() []string { return []string{r.render(v)} }})
	}
}

// err adds the producers of an error the case must produce: every renderer, its tree, every string its
// fields hold (walked by reflection), its IndexErrors.
func (s *sweep) err(group, name string, err error) {
	s.t.Helper()
	if err == nil {
		s.t.Errorf("producer %q: want an error, got none (the sweep would check nothing)", name)
		return
	}
	s.value(group, name, err, nil)
	s.add(producer{group: group, name: name + " | Error()", produce: func() []string { return []string{err.Error()} }})
	s.add(producer{group: group, name: name + " | error tree", produce: func() []string { return errorTree(err) }})
	s.add(producer{group: group, name: name + " | reflection walk", produce: func() []string { return walkTexts(err) }})
	if len(token.IndexErrors(err)) > 0 {
		s.add(producer{group: group, name: name + " | IndexErrors", produce: func() []string { return indexErrors(err) }})
	}
}

// token adds tok's secrets and the producers of tok and of the usual containers of it.
func (s *sweep) token(group, name string, tok token.Token) {
	s.t.Helper()
	require.NotEmpty(s.t, tok.Value(), "token %s has no bearer string", name)
	s.secrets.bearer(name, tok)
	jsonLimits := map[string]string{"json.Marshal": limitMarshalJSON}
	containerLimits := map[string]string{"json.Marshal": limitMarshalJSON, "slog JSON": limitSlogJSON}
	s.value(group, name, tok, jsonLimits)
	s.value(group, name+" (pointer)", &tok, jsonLimits)
	s.value(group, name+" in []token.Token", []token.Token{tok, {}}, containerLimits)
	s.value(group, name+" in []*token.Token", []*token.Token{&tok}, containerLimits)
	s.value(group, name+" in map[string]token.Token", map[string]token.Token{"t": tok}, containerLimits)
	s.value(group, name+" in struct{T token.Token}", struct{ T token.Token }{tok}, containerLimits)
	s.value(group, name+" in struct{t token.Token}", struct{ t token.Token }{tok}, nil)
	s.text(group, name+" | String, GoString, LogValue", tok.String(), tok.GoString(), tok.LogValue().String(),
		fmt.Sprintf("%v", tok.LogValue()))
	s.text(group, name+" | fmt.Errorf %v %w", fmt.Errorf("handing out %v, %+v, %#v, %s, %q: %w", tok, tok, tok, tok, tok,
		fmt.Errorf("client gone")).Error())
	s.limited(group, name+" | Value()", "Value is the bearer string", tok.Value())
	mj, err := tok.MarshalJSON()
	require.NoError(s.t, err)
	s.limited(group, name+" | MarshalJSON()", limitMarshalJSON, string(mj))
	var rt recordT
	assert.Equal(&rt, tok, token.Token{ParticipantID: "other"})
	s.limited(group, name+" | testify assert.Equal failure", limitSpew, rt.messages...)
}

// signer adds the producers of a Signer: the pointer, the value (copied by reflection), containers, JSON.
func (s *sweep) signer(group, name string, sg *token.Signer) {
	s.value(group, name+" *Signer", sg, nil)
	s.value(group, name+" Signer value", deref(sg), nil)
	s.value(group, name+" in struct{S *token.Signer}", struct{ S *token.Signer }{sg}, nil)
	s.value(group, name+" in []*token.Signer", []*token.Signer{sg}, nil)
	s.text(group, name+" | KeyID", sg.KeyID(), fmt.Sprint(sg.PublicKey()))
	var rt recordT
	assert.Equal(&rt, sg, &token.Signer{}) // testify dereferences pointers for its diff
	s.limited(group, name+" | testify assert.Equal(*Signer) failure", limitSpew, rt.messages...)
	rt = recordT{}
	assert.Equal(&rt, deref(sg), deref(&token.Signer{}))
	s.limited(group, name+" | testify assert.Equal(Signer value) failure", limitSpew, rt.messages...)
}

// result is the outcome of running every producer through the checker.
type result struct {
	leaks   []leak          // outside documented limits: failures
	byLimit map[string]int  // documented limit → producers behind it that showed a secret
	notes   []leak          // parts of a bearer noted rather than failed (see secret.note): logged
	limited map[string]bool // producers behind a documented limit that did show a secret
	counts  map[string]int  // producers by group
	outputs int
}

func (s *sweep) run() result {
	var outputs []output
	res := result{limited: map[string]bool{}, counts: map[string]int{}, byLimit: map[string]int{}}
	limits := map[string]string{}
	for _, p := range s.producers {
		res.counts[p.group]++
		if p.limit != "" {
			limits[p.name] = p.limit
		}
		for _, text := range p.produce() {
			outputs = append(outputs, output{producer: p.name, text: text})
		}
	}
	res.outputs = len(outputs)
	for _, l := range check(outputs, s.secrets.list) {
		switch {
		case limits[l.producer] != "":
			if !res.limited[l.producer] {
				res.byLimit[limits[l.producer]]++
			}
			res.limited[l.producer] = true
		case l.note != "":
			res.notes = append(res.notes, l)
		default:
			res.leaks = append(res.leaks, l)
		}
	}
	return res
}

// byCase groups leaks by the case of their producer (the name before " | "): for each case, the
// renderers that showed a secret and the kinds they showed.
func byCase(leaks []leak) (cases []string, renderers, kinds map[string][]string) {
	renderers, kinds = map[string][]string{}, map[string][]string{}
	for _, l := range leaks {
		c, r, _ := strings.Cut(l.producer, " | ")
		if r == "" {
			r = "(fixed text)"
		}
		if _, ok := kinds[c]; !ok {
			cases = append(cases, c)
		}
		renderers[c] = appendNew(renderers[c], r)
		kinds[c] = appendNew(kinds[c], l.kind)
	}
	slices.Sort(cases)
	return cases, renderers, kinds
}

func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// report fails t once per leaking case: the case, the renderers that showed a secret, and the kinds of
// secret shown (never a secret itself). Notes are logged.
func (r result) report(t *testing.T) {
	t.Helper()
	cases, rs, ks := byCase(r.leaks)
	for _, c := range cases {
		t.Errorf("LEAK: %s\n\tshowed: %s\n\tvia: %s", c, strings.Join(ks[c], "; "), strings.Join(rs[c], ", "))
	}
	byNote := map[string][]leak{}
	for _, l := range r.notes {
		byNote[l.note] = append(byNote[l.note], l)
	}
	for _, note := range slices.Sorted(maps.Keys(byNote)) {
		cases, _, _ := byCase(byNote[note])
		shown := cases
		if len(shown) > 4 {
			shown = append(shown[:4:4], fmt.Sprintf("… (%d more)", len(cases)-4))
		}
		t.Logf("note, not failed: %d cases showed %s: %s", len(cases), note, strings.Join(shown, "; "))
	}
}

func (r result) logCounts(t *testing.T, secrets int) {
	t.Helper()
	total := 0
	for _, g := range slices.Sorted(maps.Keys(r.counts)) {
		t.Logf("group %-36s %4d producers", g, r.counts[g])
		total += r.counts[g]
	}
	t.Logf("%d producers, %d outputs, %d secrets; %d producers behind documented limits showed a secret",
		total, r.outputs, secrets, len(r.limited))
	for _, limit := range slices.Sorted(maps.Keys(r.byLimit)) {
		t.Logf("documented limit, not failed: %4d producers: %s", r.byLimit[limit], limit)
	}
}
