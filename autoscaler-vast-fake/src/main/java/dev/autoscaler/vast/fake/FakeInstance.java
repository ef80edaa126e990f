package dev.autoscaler.vast.fake;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of one instance of the fake account, for tests to inspect.
 *
 * @param id             the instance id
 * @param label          its label
 * @param offerId        the offer it was rented from (-1 for an instance added by the test)
 * @param gpuName        its GPU type
 * @param actualStatus   Vast's {@code actual_status} (empty for null)
 * @param intendedStatus Vast's {@code intended_status}
 * @param image          the image it was created with
 * @param env            its environment, the {@code -p} port entries included
 * @param onstart        its onstart script
 * @param diskGb         its disk
 * @param args           its launch arguments
 * @param templateHashId its template hash, or empty
 * @param hostPorts      container port to host port, while running
 */
public record FakeInstance(long id, String label, long offerId, String gpuName, String actualStatus,
                           String intendedStatus, String image, Map<String, String> env, String onstart,
                           double diskGb, List<String> args, String templateHashId, Map<Integer, Integer> hostPorts) {
}
