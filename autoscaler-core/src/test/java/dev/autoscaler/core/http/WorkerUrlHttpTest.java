package dev.autoscaler.core.http;

import static dev.autoscaler.core.http.HttpHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.router.RouteAnswer;
import dev.autoscaler.spi.AutoscalerListener;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The row "a worker with its own valid mtoken reports url: http://evil.example.com/,
 * javascript:alert(1)// or another endpoint's worker URL": refused with a 400 naming the mismatch, an
 * event published, and no client sent there. Workers 101 and 102 of the static fleet are at
 * http://10.0.0.1:4001 and :4002.
 */
@DisplayName("/worker_status/ refuses a url the engine cannot vouch for")
class WorkerUrlHttpTest {
    HttpHarness http;
    final List<AutoscalerEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        http = new HttpHarness(2);
        http.h.engine.addListener(new AutoscalerListener() {
            @Override
            public void onEvent(AutoscalerEvent event) {
                events.add(event);
            }
        });
        http.h.scaleTo(2);
    }

    @AfterEach
    void stop() {
        http.close();
    }

    HttpResponse<String> report(String url) {
        return http.post("/worker_status/", "{\"id\": 101, \"mtoken\": \"tok-101\", \"max_perf\": 100, \"url\": \""
                + url + "\"}");
    }

    @Test
    void its_own_url_is_accepted_and_routed_to() {
        HttpResponse<String> response = report("http://10.0.0.1:4001/");

        assertThat(response.statusCode()).isEqualTo(200);
        RouteAnswer answer = http.h.route(10);
        assertThat(answer).isInstanceOf(RouteAnswer.Routed.class);
        assertThat(((RouteAnswer.Routed) answer).url()).isEqualTo("http://10.0.0.1:4001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example.com/", "javascript:alert(1)//", "http://10.0.0.1:4002"})
    void a_foreign_url_is_400_naming_the_mismatch_publishes_an_event_and_is_not_routed_to(String url) {
        HttpResponse<String> response = report(url);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo("url");
        assertThat(json(response).get("message").asText()).satisfiesAnyOf(
                m -> assertThat(m).contains("but the provider says this instance is at 10.0.0.1:4001"),
                m -> assertThat(m).contains("must be an http or https URL"));
        assertThat(events).filteredOn(e -> e instanceof AutoscalerEvent.WorkerReportRejected).singleElement()
                .satisfies(e -> assertThat(((AutoscalerEvent.WorkerReportRejected) e).instanceId()).isEqualTo("101"));
        assertThat(http.h.worker(http.h.workers().get(0).workerId()).state()).isNotEqualTo(WorkerState.READY);
        assertThat(http.h.route(10)).isNotInstanceOf(RouteAnswer.Routed.class);
    }

    @Test
    void a_ready_worker_that_turns_to_a_foreign_url_is_taken_out_of_routing() {
        assertThat(report("http://10.0.0.1:4001").statusCode()).isEqualTo(200);

        assertThat(report("http://evil.example.com:4001").statusCode()).isEqualTo(400);

        assertThat(http.h.workers()).filteredOn(w -> w.instanceId().equals("101")).singleElement()
                .satisfies(w -> {
                    assertThat(w.state()).isEqualTo(WorkerState.LOADING);
                    assertThat(w.url()).isEqualTo("http://10.0.0.1:4001");
                });
        assertThat(http.h.route(10)).isNotInstanceOf(RouteAnswer.Routed.class);
        assertThat(report("http://10.0.0.1:4001").statusCode()).isEqualTo(200); // a good report brings it back
        assertThat(http.h.route(10)).isInstanceOf(RouteAnswer.Routed.class);
    }
}
