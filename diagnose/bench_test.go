package diagnose

import "testing"

// BenchmarkDiagnose diagnoses the tune split's requests in turn.
func BenchmarkDiagnose(b *testing.B) {
	cases := splitCases(readLabelled(b, "testdata/independent.tsv"), "tune")
	type pair struct {
		r *Request
		f Facts
	}
	var reqs []pair
	for _, c := range cases {
		r, f := c.request()
		if Validate(r) == nil {
			reqs = append(reqs, pair{r, f})
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := reqs[i%len(reqs)]
		Diagnose(p.r, p.f)
	}
}
