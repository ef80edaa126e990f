package dev.autoscaler;

/** The calls the engine makes on an instance provider. */
public enum InstanceAction {
    CREATE,
    START,
    STOP,
    REBOOT,
    DESTROY,
    /** Not a provider call: an instance found in the provider's list was taken over after a restart. */
    ADOPT
}
