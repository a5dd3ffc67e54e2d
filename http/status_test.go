package http_test

import "testing"

func TestStatusAPI(t *testing.T) {
	ts := newTestServer(t)
	status, body, _ := ts.call(t, "GET", "/api/v1/status", "", nil)
	resolved, _ := body["resolved"].([]any)
	if status != 200 || body["status"] != "operational" || len(resolved) != 1 || body["label"].(map[string]any)["zh-CN"] != "所有服务运行正常" {
		t.Fatalf("status with only the demo's resolved incident: %v", body)
	}
	if updates, _ := resolved[0].(map[string]any)["updates"].([]any); len(updates) != 2 {
		t.Fatalf("resolved incident lacks its history: %v", resolved[0])
	}
	if r := resolved[0].(map[string]any); r["title_en"] != "Some users could not connect" || r["title"] != "部分用户无法连接服务器" {
		t.Fatalf("resolved incident lacks one of its languages: %v", r)
	}
	agent := ts.agentLogin(t)
	ts.call(t, "POST", "/api/v1/admin/incidents", agent, `{"title":"Card top-ups delayed","severity":"minor"}`)
	if _, body, _ := ts.call(t, "GET", "/api/v1/status", "", nil); body["status"] != "degraded" || len(body["active"].([]any)) != 1 {
		t.Fatalf("minor incident: %v", body)
	}
	ts.call(t, "POST", "/api/v1/admin/incidents", agent, `{"title":"Transfers failing","severity":"major"}`)
	if _, body, _ := ts.call(t, "GET", "/api/v1/status", "", nil); body["status"] != "outage" || body["label"].(map[string]any)["en"] != "Major service outage" {
		t.Fatalf("major incident: %v", body)
	}
}
