package dev.autoscaler.spi;

import dev.autoscaler.ProviderException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Lets whoever hosts the engine veto the later steps of one provider mutation. A provider whose
 * single mutation makes several paid calls (Vast's create tries the next offer when the best is gone)
 * calls {@link #checkAllowed()} before each call after the first. A replica that may lose its
 * leadership while a call is under way (a long pause, then its lease gone) runs each mutation
 * {@link #guarded} by a check of its lease, so that a stale leader does not rent the next offer
 * after a new leader took over. The check before the first call is the host's own; what no check
 * can close is the moment between the last check and the call itself.
 *
 * <p>Thread-confined: the check applies to the calls made on the thread that runs the mutation.
 */
public final class ProviderMutations {
    private static final ThreadLocal<Runnable> CHECK = new ThreadLocal<>();

    private ProviderMutations() {
    }

    /**
     * Runs {@code mutation} with {@code check} installed for this thread.
     *
     * @param check    throws a {@link ProviderException} when the mutation must stop
     * @param mutation the provider call
     * @param <T>      what it returns
     * @return what {@code mutation} returned
     */
    public static <T> T guarded(Runnable check, Supplier<T> mutation) {
        Objects.requireNonNull(check, "check");
        Runnable before = CHECK.get();
        CHECK.set(check);
        try {
            return mutation.get();
        } finally {
            if (before == null) {
                CHECK.remove();
            } else {
                CHECK.set(before);
            }
        }
    }

    /**
     * Called by a provider before each paid call of a mutation after the first; without a guard on
     * this thread it does nothing.
     *
     * @throws ProviderException when the host vetoes the call
     */
    public static void checkAllowed() {
        Runnable check = CHECK.get();
        if (check != null) {
            check.run();
        }
    }
}
