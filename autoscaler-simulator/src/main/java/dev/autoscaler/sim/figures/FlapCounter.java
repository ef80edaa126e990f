package dev.autoscaler.sim.figures;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.GroupTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Counts DESIGN.md's {@code flaps}: a decision's direction is the sign of the change in the
 * endpoint's total active target (a change of cold targets alone has none); a flap is a directed
 * change opposite to the previous directed change, within {@link #WINDOW} of it. Shared by the
 * simulator's and the demo's figures so both count the same way. Not thread safe on its own.
 */
public final class FlapCounter {
    /** Two changes of target in opposite directions closer than this make a flap. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private int flaps;
    private int lastDirection;
    private Instant lastDirectionAt;

    public void onDecision(AutoscalerEvent.DecisionMade event) {
        int direction = Integer.signum(activeTotal(event.targets()) - activeTotal(event.previous()));
        if (direction == 0) {
            return;
        }
        if (lastDirection != 0 && direction != lastDirection
                && Duration.between(lastDirectionAt, event.at()).compareTo(WINDOW) <= 0) {
            flaps++;
        }
        lastDirection = direction;
        lastDirectionAt = event.at();
    }

    public int flaps() {
        return flaps;
    }

    private static int activeTotal(Map<String, GroupTarget> targets) {
        int sum = 0;
        for (GroupTarget t : targets.values()) {
            sum += t.active();
        }
        return sum;
    }
}
