package dev.autoscaler.vast.internal;

/**
 * The Vast API calls this client makes. Each names its rate-limit bucket: Vast limits each API path
 * (route template) separately, so calls on the same path share a bucket.
 */
public enum Route {
    SEARCH_OFFERS("search offers", "bundles", Bucket.SEARCH),
    CREATE("create instance", "asks", Bucket.CREATE),
    LIST_V1("list instances", "instances-v1", Bucket.LIST),
    LIST_LEGACY("list instances (legacy)", "instances-v0", Bucket.LIST),
    MANAGE("manage instance", "instances-put", Bucket.MANAGE),
    REBOOT("reboot instance", "instances-reboot", Bucket.MANAGE),
    DESTROY("destroy instance", "instances-delete", Bucket.MANAGE);

    /** Which configured spacing applies to a route. */
    public enum Bucket { SEARCH, CREATE, LIST, MANAGE }

    private final String description;
    private final String path;
    private final Bucket bucket;

    Route(String description, String path, Bucket bucket) {
        this.description = description;
        this.path = path;
        this.bucket = bucket;
    }

    public String description() {
        return description;
    }

    /** The rate-limit key: one per API path. */
    public String pathKey() {
        return path;
    }

    public Bucket bucket() {
        return bucket;
    }
}
