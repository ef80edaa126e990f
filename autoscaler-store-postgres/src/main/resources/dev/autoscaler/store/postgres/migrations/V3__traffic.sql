-- Version 3: the traffic each replica's router counted (arrivals, and spill-over to overflow groups),
-- so that every replica's load windows hold all of it: the leader's policy scales for the endpoint's
-- whole traffic, not its own replica's share. Each replica appends its sums every flush under its
-- own incarnation with increasing seq (one writer per incarnation, so seq order is commit order);
-- the others read what they have not seen. Rows are kept for minutes.
CREATE TABLE traffic (
    replica     text             NOT NULL,
    incarnation text             NOT NULL,
    seq         bigint           NOT NULL,
    endpoint    text             NOT NULL,
    grp         text             NOT NULL,
    cost        double precision NOT NULL,
    at          timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (incarnation, seq)
);
CREATE INDEX traffic_by_time ON traffic (at);
