<?php
// Starts a PayLinkSandbox process on port 0 with a feedback receiver, and signs APS requests.
// The binary comes from PAYLINK_SANDBOX_BIN (examples/run.sh sets it), else this repository's
// debug build. Plain PHP: streams for HTTP, no extensions beyond the CLI's defaults.

final class Aps
{
    public const MERCHANT = [
        'merchant_identifier' => 'CycHZxVj',
        'access_code' => 'zx0IPmPy5jp1vAz8Kpg7',
        'sha_request_phrase' => 'request-secret',
        'sha_response_phrase' => 'response-secret',
    ];

    // Every parameter but `signature`, sorted by name, `name=value` joined with nothing, the
    // phrase at both ends, SHA-256 (as the official PHP SDK's calculateSignature does).
    public static function signature(array $params, string $phrase): string
    {
        unset($params['signature']);
        ksort($params, SORT_STRING);
        $text = '';
        foreach ($params as $name => $value) {
            $text .= $name . '=' . $value;
        }
        return hash('sha256', $phrase . $text . $phrase);
    }

    public static function signed(array $params): array
    {
        return $params + ['signature' => self::signature($params, self::MERCHANT['sha_request_phrase'])];
    }

    public static function isAuthentic(array $params): bool
    {
        return hash_equals(self::signature($params, self::MERCHANT['sha_response_phrase']), (string)($params['signature'] ?? ''));
    }
}

/** Accepts the sandbox's feedback POSTs on a port of its own, one at a time. */
final class FeedbackReceiver
{
    /** @var resource */
    private $socket;
    public readonly string $url;

    public function __construct()
    {
        $this->socket = stream_socket_server('tcp://127.0.0.1:0', $errno, $error);
        if ($this->socket === false) {
            throw new RuntimeException("cannot listen: $error");
        }
        $this->url = 'http://' . stream_socket_get_name($this->socket, false);
    }

    /** The next feedback: its path and decoded JSON body. Waits at most $seconds. */
    public function next(float $seconds = 10): array
    {
        $connection = stream_socket_accept($this->socket, $seconds);
        if ($connection === false) {
            throw new RuntimeException('no feedback arrived');
        }
        $requestLine = fgets($connection);
        $length = 0;
        while (($line = fgets($connection)) !== false && trim($line) !== '') {
            if (stripos($line, 'content-length:') === 0) {
                $length = (int)trim(substr($line, 15));
            }
        }
        $body = $length > 0 ? stream_get_contents($connection, $length) : '';
        fwrite($connection, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        fclose($connection);
        return ['path' => explode(' ', $requestLine)[1], 'body' => json_decode($body, true)];
    }

    /** Drops feedback waiting from an earlier test. */
    public function drain(): void
    {
        while (($connection = @stream_socket_accept($this->socket, 0)) !== false) {
            fclose($connection);
        }
    }
}

final class Sandbox
{
    /** @var resource */
    private $process;
    public readonly string $baseUrl;

    public function __construct(string $feedbackUrl)
    {
        $binary = getenv('PAYLINK_SANDBOX_BIN') ?: dirname(__DIR__, 2) . '/.build/debug/paylink-sandbox';
        $config = tempnam(sys_get_temp_dir(), 'paylink-') . '.json';
        $merchant = Aps::MERCHANT + ['notification_url' => $feedbackUrl . '/aps/feedback'];
        file_put_contents($config, json_encode(['merchants' => [$merchant]]));
        $this->process = proc_open([$binary, 'serve', '--port', '0', '--config', $config, '--quiet'],
            [1 => ['pipe', 'w']], $pipes);
        $line = (string)fgets($pipes[1]); // "listening on http://127.0.0.1:PORT"
        if (!str_starts_with($line, 'listening on ')) {
            throw new RuntimeException("the sandbox did not start: $line");
        }
        $this->baseUrl = trim(substr($line, strlen('listening on ')));
    }

    public function post(string $path, array $body): array
    {
        $context = stream_context_create(['http' => [
            'method' => 'POST',
            'header' => "Content-Type: application/json\r\n",
            'content' => json_encode($body, JSON_FORCE_OBJECT),
            'ignore_errors' => true, // a refusal's JSON body is still read
            'timeout' => 10,
        ]]);
        return json_decode(file_get_contents($this->baseUrl . $path, false, $context), true);
    }

    public function paymentApi(array $params): array
    {
        return $this->post('/FortAPI/paymentApi', $params);
    }

    public function reset(): void
    {
        $this->post('/__sandbox/reset', []);
    }

    public function stop(): void
    {
        proc_terminate($this->process, 15);
        proc_close($this->process);
    }
}
