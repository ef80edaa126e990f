package dev.autoscaler.vast;

import dev.autoscaler.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Answers MockWebServer requests from a script, in order, and records each request with the
 * (manual) clock's time at its arrival, so tests can check the spacing between calls.
 */
final class ScriptedDispatcher extends Dispatcher {
    record Arrival(long nanoTime, RecordedRequest request) {
    }

    private final Clock clock;
    private final Deque<MockResponse> script = new ArrayDeque<>();
    private final List<Arrival> arrivals = new ArrayList<>();

    ScriptedDispatcher(Clock clock) {
        this.clock = clock;
    }

    synchronized ScriptedDispatcher then(MockResponse response) {
        script.add(response);
        return this;
    }

    synchronized ScriptedDispatcher thenJson(int status, String body) {
        return then(new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body));
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        arrivals.add(new Arrival(clock.nanoTime(), request));
        MockResponse next = script.poll();
        return next != null ? next : new MockResponse().setResponseCode(599).setBody("script exhausted");
    }

    synchronized List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    synchronized List<RecordedRequest> requests() {
        return arrivals.stream().map(Arrival::request).toList();
    }
}
