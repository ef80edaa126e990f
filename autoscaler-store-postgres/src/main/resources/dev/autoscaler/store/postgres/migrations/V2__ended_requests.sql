-- Version 2: requests a worker named as working or done (its report, its /delete_requests/) through a
-- replica that had no record of them yet: the replica that routed them writes its records in batches
-- (ReplicaStore), so the name can arrive first. Each flush of any replica removes the records named
-- here, which ends their reservations; names are kept for a minute, far longer than a batch waits.
CREATE TABLE ended_requests (
    request_idx bigint      NOT NULL,
    worker_id   text        NOT NULL,
    ended_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_idx, worker_id)
);
CREATE INDEX ended_requests_by_time ON ended_requests (ended_at);
