-- /readyz proves a node can write by updating its row here: SELECT 1
-- answered through a full disk that failed every real write.
CREATE TABLE node_heartbeats (
	node    TEXT PRIMARY KEY,
	seen_at BIGINT NOT NULL
);
