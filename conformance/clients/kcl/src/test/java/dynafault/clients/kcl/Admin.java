package dynafault.clients.kcl;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A minimal client of dynafault's admin API (JSON in, status and body out). */
final class Admin {
    record Answer(int status, String body) {}

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Admin(String endpoint) {
        this.base = endpoint.replaceAll("/+$", "") + "/_admin";
    }

    Answer call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        HttpRequest.BodyPublisher body = json == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        if (json != null) b.header("Content-Type", "application/json");
        HttpResponse<String> res = http.send(b.method(method, body).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(res.statusCode(), res.body());
    }

    /** Calls the admin API and fails unless the status is 2xx. */
    String ok(String method, String path, String json) throws IOException, InterruptedException {
        Answer a = call(method, path, json);
        if (a.status() / 100 != 2) {
            throw new AssertionError(method + " /_admin" + path + ": " + a.status() + " " + a.body());
        }
        return a.body();
    }
}
