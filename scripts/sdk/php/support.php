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
