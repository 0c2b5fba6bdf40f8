// Starts a PayLinkSandbox process on port 0 with a feedback receiver, and signs APS requests.
// The binary comes from PAYLINK_SANDBOX_BIN (examples/run.sh sets it), else this repository's
// debug build. The JDK only: java.net.http for requests, com.sun.net.httpserver for feedback.
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

final class Sandbox implements AutoCloseable {
    static final String MERCHANT_IDENTIFIER = "CycHZxVj";
    static final String ACCESS_CODE = "zx0IPmPy5jp1vAz8Kpg7";
    static final String REQUEST_PHRASE = "request-secret";
    static final String RESPONSE_PHRASE = "response-secret";

    /** Every parameter but `signature`, sorted by name, `name=value` joined, the phrase at both ends, SHA-256. */
    static String signature(Map<String, String> params, String phrase) {
        StringBuilder text = new StringBuilder(phrase);
        new TreeMap<>(params).forEach((name, value) -> {
            if (!name.equals("signature")) text.append(name).append('=').append(value);
        });
        text.append(phrase);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static Map<String, String> signed(Map<String, String> params) {
        Map<String, String> request = new LinkedHashMap<>(params);
        request.put("signature", signature(params, REQUEST_PHRASE));
        return request;
    }

    static boolean isAuthentic(Map<String, String> params) {
        byte[] expected = signature(params, RESPONSE_PHRASE).getBytes(StandardCharsets.US_ASCII);
        byte[] given = params.getOrDefault("signature", "").getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /** One feedback POST: the path it was sent to and its parameters. */
    record Feedback(String path, Map<String, String> body) {}

    private final Process process;
    private final HttpServer receiver;
    private final BlockingQueue<Feedback> feedback = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newHttpClient();
    final String baseUrl;

    Sandbox() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            feedback.add(new Feedback(exchange.getRequestURI().getPath(), FlatJSON.parse(body)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String feedbackUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/aps/feedback";

        Path config = Files.createTempFile("paylink-", ".json");
        Files.writeString(config, """
            {"merchants": [{"merchant_identifier": "%s", "access_code": "%s",
              "sha_request_phrase": "%s", "sha_response_phrase": "%s", "notification_url": "%s"}]}
            """.formatted(MERCHANT_IDENTIFIER, ACCESS_CODE, REQUEST_PHRASE, RESPONSE_PHRASE, feedbackUrl));
        String binary = System.getenv().getOrDefault("PAYLINK_SANDBOX_BIN", ".build/debug/paylink-sandbox");
        process = new ProcessBuilder(binary, "serve", "--port", "0", "--config", config.toString(), "--quiet")
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream())).readLine();
        if (line == null || !line.startsWith("listening on ")) {
            throw new IOException("the sandbox did not start: " + line);
        }
        baseUrl = line.substring("listening on ".length()).trim();
    }

    Map<String, String> post(String path, Map<String, String> body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(FlatJSON.write(body))).build();
        return FlatJSON.parse(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    Map<String, String> paymentApi(Map<String, String> params) throws IOException, InterruptedException {
        return post("/FortAPI/paymentApi", params);
    }

    void reset() throws IOException, InterruptedException {
        post("/__sandbox/reset", Map.of());
        feedback.clear();
    }

    Feedback nextFeedback() throws InterruptedException {
        Feedback next = feedback.poll(10, TimeUnit.SECONDS);
        if (next == null) throw new AssertionError("no feedback arrived");
        return next;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM
        process.waitFor(10, TimeUnit.SECONDS);
        receiver.stop(0);
    }
}
