package dev.autoscaler.spi;

import java.util.List;

/**
 * Rents, starts, stops and destroys instances. Calls may be slow (remote APIs with rate limits):
 * the engine makes them off its control thread and never twice at once for the same instance.
 * Every failure is a {@link dev.autoscaler.ProviderException} that says whether a retry can help.
 *
 * <p>Contract (checked by {@code InstanceProviderContract} in the autoscaler-testkit module):
 * <ul>
 *   <li>{@link #create} returns only once the instance exists, carrying the request's label; a create
 *       whose outcome is unknown must not be retried blindly (look for the label first), and fails
 *       with {@link dev.autoscaler.ProviderException.Kind#TIMEOUT} when it stays unknown: the engine
 *       then waits for a list to show whether the instance exists, and any other kind tells it that
 *       nothing was made;</li>
 *   <li>{@link #list} returns every instance of the account, labelled or not; the engine keeps to
 *       its own labels and never touches the others;</li>
 *   <li>{@link #destroy} of an instance that is already gone succeeds.</li>
 * </ul>
 */
public interface InstanceProvider extends AutoCloseable {

    /**
     * Rents a new instance for a group and starts it.
     *
     * @param request what to run and where, with the label and env the instance must carry
     * @return the new instance, carrying the request's label
     */
    Instance create(CreateInstanceRequest request);

    /**
     * Starts a stopped instance (a resume from the cold pool).
     *
     * @param instanceId the provider's id of the instance
     */
    void start(String instanceId);

    /**
     * Stops a running instance, keeping its disk.
     *
     * @param instanceId the provider's id of the instance
     */
    void stop(String instanceId);

    /**
     * Restarts a running instance's container.
     *
     * @param instanceId the provider's id of the instance
     */
    void reboot(String instanceId);

    /**
     * Destroys an instance for good; succeeds when it is already gone.
     *
     * @param instanceId the provider's id of the instance
     */
    void destroy(String instanceId);

    /** {@return every instance of the account, labelled or not} */
    List<Instance> list();

    /**
     * Tells the provider what a worker of a group measured (its benchmark {@code max_perf} times
     * reliability) on a GPU type, so that it can rank offers by the group's own perf per dollar.
     * Called by the engine each time a worker becomes ready. The default ignores it.
     *
     * @param group the worker group's name
     * @param gpuName the GPU type the worker ran on
     * @param perf the measured perf, perf units/s
     */
    default void recordMeasuredPerf(String group, String gpuName, double perf) {
    }

    @Override
    default void close() {
    }
}
