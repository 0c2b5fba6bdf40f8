<?php
// Support for driver.php: the step table, orders set up through the sandbox (a PAYMENT_LINK
// signed with the SDK's own signer, paid through the control API), and the "browser" that pays
// a form the SDK rendered (scripts/sdk/browser.py).

declare(strict_types=1);

use AmazonPaymentServicesSdk\AmazonPaymentServices\Core\APSCore;

final class Steps
{
    private array $rows = [];

    /** Runs one step: $body returns [response_code, true|false|null (SKIP), note]. */
    public function run(string $name, callable $body): void
    {
        try {
            [$code, $ok, $note] = $body();
            $verdict = $ok === null ? 'SKIP' : ($ok ? 'PASS' : 'FAIL');
        } catch (\Throwable $error) {
            // The SDK throws on an answer it refuses (no or a wrong signature, an HTTP error): the
            // sandbox's journal still has what it answered.
            [$code, $detail] = lastAnswer();
            [$verdict, $note] = ['FAIL', get_class($error) . ': ' . $error->getMessage() . ($detail ? "; sandbox: $detail" : '')];
        }
        $code = $code ?? '-';
        $note = preg_replace('/\s+/', ' ', (string)$note);
        $this->rows[] = [$name, $verdict, $code, $note];
        echo "STEP $name | $verdict | $code | $note\n";
    }

    public function summary(string $title): bool
    {
        $counts = ['PASS' => 0, 'FAIL' => 0, 'SKIP' => 0];
        echo "\n$title against the sandbox\n\n| step | result | response_code | note |\n|---|---|---|---|\n";
        foreach ($this->rows as [$name, $verdict, $code, $note]) {
            $counts[$verdict]++;
            echo "| $name | $verdict | $code | " . substr($note, 0, 160) . " |\n";
        }
        echo "\n{$counts['PASS']} passed, {$counts['FAIL']} failed, {$counts['SKIP']} skipped\n";
        return $counts['FAIL'] === 0;
    }
}

/** The response_code and detail of the last request in the sandbox's journal. */
function lastAnswer(): array
{
    $text = @file_get_contents(getenv('SANDBOX_URL') . '/__sandbox/journal?limit=1');
    $entry = json_decode((string)$text, true)['entries'][0] ?? [];
    return [$entry['response']['json']['response_code'] ?? ('HTTP ' . ($entry['status'] ?? '-')), $entry['detail'] ?? ''];
}

function httpJson(string $url, array $body): array
{
    $curl = curl_init($url);
    curl_setopt_array($curl, [
        CURLOPT_POST => true, CURLOPT_POSTFIELDS => json_encode($body ?: new \stdClass()),
        CURLOPT_HTTPHEADER => ['Content-Type: application/json'], CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 15,
    ]);
    $text = curl_exec($curl);
    $status = curl_getinfo($curl, CURLINFO_HTTP_CODE);
    curl_close($curl);
    $answer = json_decode((string)$text, true);
    if (!is_array($answer)) {
        throw new \RuntimeException("$url answered $status: " . substr((string)$text, 0, 200));
    }
    return $answer;
}

/** An order to work on: a PAYMENT_LINK of $command, paid with the default test card. */
function paidLinkOrder(string $reference, string $command, int $amount): array
{
    $base = getenv('SANDBOX_URL');
    $fields = [
        'service_command' => 'PAYMENT_LINK', 'access_code' => getenv('ACCESS_CODE'), 'merchant_identifier' => getenv('MERCHANT'),
        'merchant_reference' => $reference, 'amount' => (string)$amount, 'currency' => 'SAR', 'language' => 'en',
        'customer_email' => 'sdk@example.com', 'request_expiry_date' => '2099-01-01T00:00:00+03:00',
        'notification_type' => 'NONE', 'link_command' => $command,
    ];
    $fields['signature'] = (new APSCore())->calculateRequestSignature($fields);
    $link = httpJson("$base/FortAPI/paymentApi", $fields);
    if (($link['response_code'] ?? '') !== '48000') {
        throw new \RuntimeException('PAYMENT_LINK for the set-up order answered ' . json_encode($link));
    }
    $paid = httpJson("$base/__sandbox/links/" . rawurlencode($link['payment_link_id']) . '/pay', []);
    if (($paid['outcome'] ?? '') !== 'approved') {
        throw new \RuntimeException('paying the set-up link answered ' . json_encode($paid));
    }
    return ['merchant_reference' => $reference, 'fort_id' => $paid['fort_id'] ?? null];
}

/** Posts the form in $html (action and hidden inputs, plus $extra) and pays it as a browser. */
function payForm(string $html, array $extra = [], array $card = []): array
{
    $document = new \DOMDocument();
    @$document->loadHTML($html);
    $form = $document->getElementsByTagName('form')->item(0);
    $fields = [];
    foreach ($form->getElementsByTagName('input') as $input) {
        if ($input->getAttribute('type') === 'hidden') {
            $fields[$input->getAttribute('name')] = $input->getAttribute('value');
        }
    }
    $request = ['action' => $form->getAttribute('action'), 'fields' => $fields + $extra, 'card' => $card ?: $extra];
    $command = ['python3', getenv('BROWSER')];
    if (getenv('CA_FILE')) {
        array_push($command, '--cafile', getenv('CA_FILE'));
    }
    $process = proc_open($command, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    fwrite($pipes[0], json_encode($request));
    fclose($pipes[0]);
    $output = stream_get_contents($pipes[1]);
    $errors = stream_get_contents($pipes[2]);
    proc_close($process);
    $result = json_decode($output, true);
    if (!is_array($result)) {
        throw new \RuntimeException('browser.py failed: ' . substr($errors, -300));
    }
    $result['sent'] = $request['fields'];
    return $result;
}

/** [code, ok, note] for what the browser brought back: the code expected and the SDK's check. */
function returnedResult(array $result, string $expected): array
{
    if ($result['outcome'] !== 'returned') {
        return ['HTTP ' . $result['status'], false, 'stopped at ' . $result['url'] . ': ' . $result['excerpt']];
    }
    $fields = $result['fields'];
    $valid = isset($fields['signature']) && (new APSCore())->isResponseValid($fields);
    $code = $fields['response_code'] ?? '-';
    return [$code, $code === $expected && $valid, ($valid ? 'return signature valid' : 'return signature INVALID') . ', ' . ($fields['response_message'] ?? '')];
}

/**
 * Starts the merchant's Apple Pay endpoint (apple-pay-endpoint.php) under PHP's built-in web
 * server on a free local port, with this PHP's CA settings; returns its base URL and process.
 */
function startApplePayEndpoint(): array
{
    $probe = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int)substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
    fclose($probe);
    $command = [PHP_BINARY, '-d', 'curl.cainfo=' . ini_get('curl.cainfo'), '-d', 'openssl.cafile=' . ini_get('openssl.cafile'),
        '-S', "127.0.0.1:$port", __DIR__ . '/apple-pay-endpoint.php'];
    $log = (is_dir('.build/sdk') ? '.build/sdk' : sys_get_temp_dir()) . '/php-apple-pay-endpoint.log';
    $process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes);
    for ($try = 0; $try < 100; $try++) {
        $socket = @fsockopen('127.0.0.1', $port, $errno, $errstr, 0.1);
        if ($socket) {
            fclose($socket);
            return ["http://127.0.0.1:$port", $process];
        }
        usleep(50000);
    }
    proc_terminate($process);
    throw new \RuntimeException("the Apple Pay endpoint (php -S 127.0.0.1:$port) did not start: " . @file_get_contents($log));
}

/**
 * What Safari's Apple Pay sheet gives the page (ApplePayPaymentToken: paymentData with a made-up
 * base64 EC_v1 token, its header, paymentMethod), for a card shown as $displayName.
 */
function applePayToken(string $displayName, string $network = 'Visa', string $type = 'debit'): array
{
    $id = bin2hex(random_bytes(16));
    return [
        'paymentData' => [
            'version' => 'EC_v1',
            'data' => base64_encode('sandbox apple pay token ' . $id . ' ' . random_bytes(24)),
            'signature' => base64_encode('sandbox pkcs7 signature ' . random_bytes(32)),
            'header' => [
                'ephemeralPublicKey' => base64_encode("\x04" . random_bytes(64)),
                'publicKeyHash' => base64_encode(hash('sha256', $id, true)),
                'transactionId' => hash('sha256', 'tx' . $id),
            ],
        ],
        'paymentMethod' => ['displayName' => $displayName, 'network' => $network, 'type' => $type],
        'transactionIdentifier' => strtoupper(hash('sha256', 'tx' . $id)),
    ];
}

/**
 * Posts $token to the merchant's endpoint as the SDK's ApplePayHandlerTemplate does
 * ($.ajax POST, data {"data": token}: a form) and returns the SDK's answer; throws with the
 * endpoint's message when it failed.
 */
function payWithApplePay(string $endpoint, string $command, string $reference, float $amount, array $token): array
{
    $url = $endpoint . '/?' . http_build_query(['command' => $command, 'merchant_reference' => $reference, 'amount' => $amount]);
    $curl = curl_init($url);
    curl_setopt_array($curl, [
        CURLOPT_POST => true, CURLOPT_POSTFIELDS => http_build_query(['data' => $token]),
        CURLOPT_HTTPHEADER => ['Content-Type: application/x-www-form-urlencoded; charset=UTF-8', 'X-Requested-With: XMLHttpRequest'],
        CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 30,
    ]);
    $text = curl_exec($curl);
    $status = curl_getinfo($curl, CURLINFO_HTTP_CODE);
    curl_close($curl);
    $result = json_decode((string)$text, true);
    if ($status !== 200 || ($result['status'] ?? '') !== 'success') {
        throw new \RuntimeException("merchant endpoint answered $status: " . ($result['message'] ?? substr((string)$text, 0, 300)));
    }
    return $result['answer'];
}
