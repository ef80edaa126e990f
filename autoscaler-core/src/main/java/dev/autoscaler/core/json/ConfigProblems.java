package dev.autoscaler.core.json;

import dev.autoscaler.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Collects the errors of a config as it is read, so that a reader can go on past a bad field and
 * report every error at once, each with its path. A reader does each independent step through
 * {@link #attempt}: the step's {@link InvalidConfigException} is recorded (its field qualified by
 * the reader's path) and the step gives its fallback instead. A reader that must fail fast (the
 * admin API answers one 400) calls {@link #throwFirst()} at the end; one that reports (validate)
 * reads {@link #all()}.
 */
public final class ConfigProblems {
    private final List<InvalidConfigException> found = new ArrayList<>();
    private final UnaryOperator<InvalidConfigException> qualify;

    public ConfigProblems() {
        this(UnaryOperator.identity());
    }

    private ConfigProblems(UnaryOperator<InvalidConfigException> qualify) {
        this.qualify = qualify;
    }

    /** The same collection, recording errors with their field rewritten by {@code qualify} (e.g. under a node's path). */
    public ConfigProblems qualifiedBy(UnaryOperator<InvalidConfigException> qualify) {
        ConfigProblems view = new ConfigProblems(e -> this.qualify.apply(qualify.apply(e)));
        view.sharedWith = this;
        return view;
    }

    private ConfigProblems sharedWith;

    private void record(InvalidConfigException e) {
        if (sharedWith != null) {
            sharedWith.record(qualify.apply(e));
        } else {
            found.add(qualify.apply(e));
        }
    }

    /** Runs a step; records its error. @return whether it succeeded */
    public boolean attempt(Runnable step) {
        try {
            step.run();
            return true;
        } catch (InvalidConfigException e) {
            record(e);
            return false;
        }
    }

    /** Reads a value; records its error and gives {@code fallback} instead. */
    public <T> T attempt(Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (InvalidConfigException e) {
            record(e);
            return fallback;
        }
    }

    /** Records an error found by other means. */
    public void add(InvalidConfigException e) {
        record(e);
    }

    /** Every error so far, in the order found. */
    public List<InvalidConfigException> all() {
        return sharedWith != null ? sharedWith.all() : List.copyOf(found);
    }

    public boolean isEmpty() {
        return all().isEmpty();
    }

    /** Throws the first error found, if any. */
    public void throwFirst() {
        List<InvalidConfigException> all = all();
        if (!all.isEmpty()) {
            throw all.get(0);
        }
    }
}
