// Drives the official APS Java SDK (payfort/payfort-java-sdk, unmodified) against the sandbox.
// Only the gateway URL changes: FortRequestConfiguration.setGateway(new DefaultFortGateway(
// SANDBOX_URL + "/FortAPI/paymentApi", "application/json")), the SDK's own gateway class. The
// SDK signs in uppercase hex and sends every value as a JSON string. Each step prints
// "STEP <name> | <PASS|FAIL|SKIP> | <response_code> | <note>"; a summary table ends the run.
//
// Environment: SANDBOX_URL, BROWSER (scripts/sdk/browser.py), MERCHANT, ACCESS_CODE,
// REQUEST_PHRASE, RESPONSE_PHRASE, TRUSTED_MERCHANT (optional).

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.payfort.sdk.FortAccount;
import com.payfort.sdk.FortRequestConfiguration;
import com.payfort.sdk.FortSDK;
import com.payfort.sdk.parameter.FortKey;
import com.payfort.sdk.parameter.FortParameter;
import com.payfort.sdk.request.gateway.http.DefaultFortGateway;
import com.payfort.sdk.types.FortEnvironment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.*;

public final class SdkDriver {
    static final String BASE = System.getenv("SANDBOX_URL");
    static final String RETURN_URL = "http://127.0.0.1:9/sdk-return";
    // Sent when TOKENIZATION gave no token, so the recurring and MOTO requests still go out.
    static final String NO_TOKEN = "sdk-driver-no-token";
    static final Gson GSON = new Gson();

    public static void main(String[] arguments) throws Exception {
        FortSDK sdk = sdk(System.getenv("MERCHANT"));
        String run = "java-" + UUID.randomUUID().toString().substring(0, 8);
        Steps steps = new Steps();

        steps.run("PAYMENT_LINK (set-up, FortSDK.callApi)", () -> {
            FortParameter answer = sdk.callApi(paymentLink(run + "-l", "PURCHASE", "10000"));
            return verdict(sdk, answer, "48000", "");
        });

        steps.run("GET_INSTALLMENTS_PLANS", () -> {
            FortParameter answer = sdk.callApi(parameters("query_command", "GET_INSTALLMENTS_PLANS", "amount", "100000", "currency", "SAR"));
            // The SDK's JsonRequestConverter keeps strings and arrays: the installment_detail
            // object is dropped on parsing, as the answer's signature leaves it out.
            return verdict(sdk, answer, "62000", "");
        });

        String purchase = paidLinkOrder(sdk, run + "-p", "PURCHASE", "50000");
        steps.run("CHECK_STATUS", () -> {
            FortParameter answer = sdk.callApi(parameters("query_command", "CHECK_STATUS", "merchant_reference", purchase));
            return verdict(sdk, answer, "12000", "transaction_status " + answer.get(new FortKey("transaction_status")));
        });
        steps.run("REFUND", () -> verdict(sdk, sdk.callApi(parameters("command", "REFUND", "merchant_reference", purchase, "amount", "10000", "currency", "SAR")), "06000", "partial, 100.00 of 500.00"));

        String authorization = paidLinkOrder(sdk, run + "-a", "AUTHORIZATION", "30000");
        steps.run("CAPTURE", () -> verdict(sdk, sdk.callApi(parameters("command", "CAPTURE", "merchant_reference", authorization, "amount", "30000", "currency", "SAR")), "04000", ""));
        String toVoid = paidLinkOrder(sdk, run + "-v", "AUTHORIZATION", "20000");
        steps.run("VOID_AUTHORIZATION", () -> verdict(sdk, sdk.callApi(parameters("command", "VOID_AUTHORIZATION", "merchant_reference", toVoid)), "08000", ""));

        // The hosted checkout: the Java SDK has no form builder; a merchant signs the form with
        // FortSDK.calculateRequestSignature and posts it to FortEnvironment.pageURL().
        steps.run("redirect PURCHASE (paymentPage form)", () -> returned(sdk, pay(sdk, checkout(run + "-rp", "PURCHASE"), Map.of(), Map.of()), "14000"));
        steps.run("redirect AUTHORIZATION (paymentPage form)", () -> returned(sdk, pay(sdk, checkout(run + "-ra", "AUTHORIZATION"), Map.of(), Map.of()), "02000"));

        String[] token = {null};
        steps.run("TOKENIZATION (Merchant Page form)", () -> {
            FortParameter form = parameters("service_command", "TOKENIZATION", "merchant_reference", run + "-t", "return_url", RETURN_URL);
            // The card fields are posted by the customer's browser and left out of the signature.
            Map<String, String> card = Map.of("card_number", "4005550000000001", "expiry_date", "3005", "card_security_code", "123", "card_holder_name", "SDK Driver");
            JsonObject result = pay(sdk, form, card, card);
            Object[] row = returned(sdk, result, "18000");
            if (result.has("fields") && result.getAsJsonObject("fields").has("token_name")) {
                token[0] = result.getAsJsonObject("fields").get("token_name").getAsString();
                row[2] = "token_name " + token[0] + "; " + row[2];
            } else if (Boolean.TRUE.equals(row[1])) {
                row[1] = false;
                row[2] = "no token_name; " + row[2];
            }
            return row;
        });

        steps.run("recurring PURCHASE eci=RECURRING", () -> verdict(sdk, sdk.callApi(parameters("command", "PURCHASE", "merchant_reference", run + "-rc",
                "amount", "5000", "currency", "SAR", "customer_email", "sdk@example.com", "eci", "RECURRING",
                "token_name", token[0] == null ? NO_TOKEN : token[0])), "14000", ""));
        steps.run("MOTO PURCHASE eci=MOTO", () -> verdict(sdk, sdk.callApi(parameters("command", "PURCHASE", "merchant_reference", run + "-m",
                "amount", "5000", "currency", "SAR", "customer_email", "sdk@example.com", "eci", "MOTO", "customer_ip", "192.0.2.10",
                "token_name", token[0] == null ? NO_TOKEN : token[0])), "14000", ""));

        steps.run("installments PURCHASE (paymentPage form, installments=HOSTED)", () -> {
            FortParameter form = checkout(run + "-i", "PURCHASE");
            form.add(new FortKey("installments"), "HOSTED");
            form = replace(form, "amount", "150000");
            return returned(sdk, pay(sdk, form, Map.of(), Map.of()), "14000");
        });

        steps.run("trusted channel PURCHASE", () -> {
            String trusted = System.getenv("TRUSTED_MERCHANT");
            FortSDK caller = trusted == null || trusted.isEmpty() ? sdk : sdk(trusted);
            FortParameter answer = caller.callApi(parameters("command", "PURCHASE", "merchant_reference", run + "-tc",
                    "amount", "7000", "currency", "SAR", "customer_email", "sdk@example.com", "eci", "ECOMMERCE", "customer_ip", "192.0.2.10",
                    "card_number", "4005550000000001", "expiry_date", "3005", "card_security_code", "123", "card_holder_name", "SDK Driver"));
            return verdict(caller, answer, "14000", caller == sdk ? "demo merchant" : "merchant " + trusted + " (trusted_channel)");
        });

        System.exit(steps.summary("Java SDK") ? 0 : 1);
    }

    static FortSDK sdk(String merchant) {
        FortAccount account = new FortAccount(System.getenv("ACCESS_CODE"), merchant, System.getenv("REQUEST_PHRASE"), System.getenv("RESPONSE_PHRASE"));
        FortRequestConfiguration configuration = new FortRequestConfiguration()
                .setGateway(new DefaultFortGateway(BASE + "/FortAPI/paymentApi", "application/json"));
        return new FortSDK(account, FortEnvironment.SAND_BOX, configuration);
    }

    static FortParameter parameters(String... pairs) {
        FortParameter parameter = new FortParameter();
        for (int i = 0; i < pairs.length; i += 2) parameter.add(new FortKey(pairs[i]), pairs[i + 1]);
        return parameter;
    }

    static FortParameter replace(FortParameter source, String name, String value) {
        FortParameter copy = new FortParameter();
        copy.add(new FortKey(name), value);
        source.iterator((key, old) -> copy.add(key, old));
        return copy;
    }

    static FortParameter paymentLink(String reference, String command, String amount) {
        return parameters("service_command", "PAYMENT_LINK", "merchant_reference", reference, "amount", amount, "currency", "SAR",
                "customer_email", "sdk@example.com", "request_expiry_date", "2099-01-01T00:00:00+03:00", "notification_type", "NONE",
                "link_command", command);
    }

    /** An order to work on: a PAYMENT_LINK sent by the SDK, paid through the control API. */
    static String paidLinkOrder(FortSDK sdk, String reference, String command, String amount) throws Exception {
        FortParameter link = sdk.callApi(paymentLink(reference, command, amount));
        Object id = link.get(new FortKey("payment_link_id"));
        if (id == null) throw new IllegalStateException("PAYMENT_LINK answered " + link);
        JsonObject paid = GSON.fromJson(post(BASE + "/__sandbox/links/" + id + "/pay", "{}", "application/json"), JsonObject.class);
        if (!"approved".equals(paid.get("outcome").getAsString())) throw new IllegalStateException("paying the link answered " + paid);
        return reference;
    }

    static FortParameter checkout(String reference, String command) {
        return parameters("command", command, "merchant_reference", reference, "amount", "12500", "currency", "SAR",
                "customer_email", "sdk@example.com", "customer_name", "SDK Driver", "order_description", "Java SDK driver", "return_url", RETURN_URL);
    }

    /** Signs `form` as a merchant using the SDK would, posts it to the page URL and pays it. */
    static JsonObject pay(FortSDK sdk, FortParameter form, Map<String, String> unsigned, Map<String, String> card) throws Exception {
        form.add(new FortKey("access_code"), System.getenv("ACCESS_CODE"));
        form.add(new FortKey("merchant_identifier"), System.getenv("MERCHANT"));
        form.add(new FortKey("language"), "en");
        form.add(new FortKey("signature"), sdk.calculateRequestSignature(form));
        JsonObject fields = new JsonObject();
        form.iterator((key, value) -> fields.addProperty(key.name(), value.toString()));
        unsigned.forEach(fields::addProperty);
        JsonObject request = new JsonObject();
        String page = FortEnvironment.SAND_BOX.pageURL().replace("https://sbcheckout.payfort.com", BASE);
        request.addProperty("action", page);
        request.add("fields", fields);
        request.add("card", GSON.toJsonTree(card));
        Process browser = new ProcessBuilder("python3", System.getenv("BROWSER")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        browser.getOutputStream().write(GSON.toJson(request).getBytes(StandardCharsets.UTF_8));
        browser.getOutputStream().close();
        String output = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        browser.waitFor();
        return GSON.fromJson(output, JsonObject.class);
    }

    /** What the browser brought back to return_url, checked with FortSDK.validateResponseSignature. */
    static Object[] returned(FortSDK sdk, JsonObject result, String expected) {
        if (!"returned".equals(result.get("outcome").getAsString())) {
            return new Object[]{"HTTP " + result.get("status"), false, "stopped at " + result.get("url").getAsString() + ": " + result.get("excerpt").getAsString()};
        }
        FortParameter fields = new FortParameter();
        result.getAsJsonObject("fields").entrySet().forEach(e -> fields.add(new FortKey(e.getKey()), e.getValue().getAsString()));
        return verdict(sdk, fields, expected, "");
    }

    static Object[] verdict(FortSDK sdk, FortParameter answer, String expected, String note) {
        Object code = answer.get(new FortKey("response_code"));
        boolean signed = answer.get(new FortKey("signature")) != null && sdk.validateResponseSignature(answer);
        String message = String.valueOf(answer.get(new FortKey("response_message")));
        String check = answer.get(new FortKey("signature")) == null ? "no signature" : signed ? "signature valid" : "signature INVALID";
        return new Object[]{code == null ? "-" : code, expected.equals(code) && signed, (note.isEmpty() ? "" : note + "; ") + check + ", " + message};
    }

    static String post(String url, String body, String type) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    interface Step { Object[] run() throws Exception; }

    static final class Steps {
        final List<String[]> rows = new ArrayList<>();

        void run(String name, Step step) {
            String verdict, code, note;
            try {
                Object[] row = step.run();
                code = String.valueOf(row[0]);
                verdict = row[1] == null ? "SKIP" : Boolean.TRUE.equals(row[1]) ? "PASS" : "FAIL";
                note = String.valueOf(row[2]);
            } catch (Exception error) {
                code = "-";
                verdict = "FAIL";
                note = error.getClass().getSimpleName() + ": " + error.getMessage();
            }
            note = note.replaceAll("\\s+", " ");
            rows.add(new String[]{name, verdict, code, note});
            System.out.println("STEP " + name + " | " + verdict + " | " + code + " | " + note);
        }

        boolean summary(String title) {
            Map<String, Integer> counts = new HashMap<>(Map.of("PASS", 0, "FAIL", 0, "SKIP", 0));
            System.out.println("\n" + title + " against the sandbox\n\n| step | result | response_code | note |\n|---|---|---|---|");
            for (String[] row : rows) {
                counts.merge(row[1], 1, Integer::sum);
                System.out.println("| " + row[0] + " | " + row[1] + " | " + row[2] + " | " + row[3].substring(0, Math.min(160, row[3].length())) + " |");
            }
            System.out.println("\n" + counts.get("PASS") + " passed, " + counts.get("FAIL") + " failed, " + counts.get("SKIP") + " skipped");
            return counts.get("FAIL") == 0;
        }
    }
}
