package dev.autoscaler.spi;

/** An instance's state as its provider reports it, mapped to what the engine needs to know. */
public enum InstanceStatus {
    /** Being created, booting or pulling its image: not running yet. */
    PROVISIONING,
    /** Running (the worker inside may still be loading its model). */
    RUNNING,
    /** Stopped, disk kept. */
    STOPPED,
    /** Broken for good (Vast: exited, unknown, offline): destroy it and rent another. */
    FAILED
}
