package dev.autoscaler.core.http.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.InvalidRequestException;
import dev.autoscaler.LoadReport;
import java.util.List;

/**
 * Turns a {@code /worker_status/} body into a {@link LoadReport}: {@code id} and {@code mtoken}
 * required, every other field optional (a failing worker posts only id, mtoken, version, error_msg
 * and url), unknown fields ignored, a present but malformed field a 400 naming it.
 */
public final class WorkerStatusParser {
    private WorkerStatusParser() {
    }

    public static LoadReport parse(byte[] body) {
        JsonFields f = new JsonFields(JsonBodies.object(body));
        long id = f.requireId("id");
        String mtoken = f.requireString("mtoken");
        LoadReport.Builder b = LoadReport.builder(id, mtoken);
        String version = f.optionalString("version");
        if (version != null) {
            b.version(version);
        }
        String url = f.optionalString("url");
        if (url != null) {
            b.url(url);
        }
        String error = f.optionalString("error_msg");
        if (error != null) {
            b.errorMsg(error);
        }
        b.loadtime(f.load("loadtime"))
                .curLoad(f.load("cur_load"))
                .newLoad(f.load("new_load"))
                .rejLoad(f.load("rej_load"))
                .curPerf(f.load("cur_perf"))
                .maxPerf(f.load("max_perf"))
                .numRequestsWorking(count(f, "num_requests_working"))
                .numRequestsReceived(count(f, "num_requests_recieved"))
                .additionalDiskUsage(f.optionalNumber("additional_disk_usage").orElse(0));
        // legacy, always 0, but a malformed one is still malformed
        f.optionalNumber("cur_capacity");
        f.optionalNumber("max_capacity");
        List<Long> idxs = f.optionalLongList("working_request_idxs");
        if (idxs != null) {
            b.workingRequestIdxs(idxs);
        }
        return b.build();
    }

    private static long count(JsonFields f, String field) {
        long v = f.optionalLong(field).orElse(0);
        if (v < 0) {
            throw new InvalidRequestException(field, "must be >= 0, got " + v);
        }
        return v;
    }
}
