package dev.autoscaler;

/** The calls the engine makes on an instance provider. */
public enum InstanceAction {
    /** Rent a new instance. */
    CREATE,
    /** Start (resume) a stopped instance. */
    START,
    /** Stop an instance, keeping its disk. */
    STOP,
    /** Restart an instance's container. */
    REBOOT,
    /** Destroy an instance for good. */
    DESTROY,
    /** Not a provider call: an instance found in the provider's list was taken over after a restart. */
    ADOPT
}
