package search

import "testing"

func BenchmarkUnderstand(b *testing.B) {
	for i := 0; i < b.N; i++ {
		understand("公共wifi安全吗 why did ok wallet freeze my account")
	}
}
