-- Version 1: the engine's shared state. Every row that is updated in place carries a version, and
-- every update is a compare-and-set on it (UPDATE ... WHERE version = ?), as the StateStore SPI asks.

CREATE TABLE counters (
    name  text   PRIMARY KEY,
    value bigint NOT NULL
);

CREATE SEQUENCE request_idx_seq;

CREATE TABLE workers (
    worker_id   text   PRIMARY KEY,
    endpoint    text   NOT NULL,
    instance_id text   NOT NULL DEFAULT '',
    seq         bigserial NOT NULL,          -- creation order, what workers(endpoint) returns them in
    version     bigint NOT NULL,
    record      jsonb  NOT NULL              -- the WorkerRecord, its components by name
);
CREATE INDEX workers_by_endpoint ON workers (endpoint, seq);
CREATE INDEX workers_by_instance ON workers (instance_id) WHERE instance_id <> '';

CREATE TABLE requests (
    request_idx      bigint PRIMARY KEY,
    endpoint         text   NOT NULL,
    cost             double precision NOT NULL,
    first_seen_nanos bigint NOT NULL,
    worker_id        text   NOT NULL DEFAULT '',
    reqnum           bigint NOT NULL,
    version          bigint NOT NULL
);
CREATE INDEX requests_by_endpoint ON requests (endpoint, request_idx);

-- The endpoint set as the admin API left it: one document, replaced whole.
CREATE TABLE endpoint_set (
    id        int         PRIMARY KEY CHECK (id = 1),
    endpoints jsonb       NOT NULL,
    saved_at  timestamptz NOT NULL DEFAULT now()
);

-- Named leases with a fencing epoch that grows with every change of holder.
CREATE TABLE leases (
    name       text        PRIMARY KEY,
    holder     text        NOT NULL,
    epoch      bigint      NOT NULL,
    expires_at timestamptz NOT NULL
);
