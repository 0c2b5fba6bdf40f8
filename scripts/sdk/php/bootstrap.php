<?php
// Loads the official APS PHP SDK (SDK_DIR, unmodified) with Debian's Guzzle and psr/log, for
// driver.php and the merchant's Apple Pay endpoint (apple-pay-endpoint.php).

declare(strict_types=1);

require_once '/usr/share/php/GuzzleHttp/autoload.php';
require_once '/usr/share/php/Psr/Log/autoload.php';

spl_autoload_register(function (string $class): void {
    $prefix = 'AmazonPaymentServicesSdk\\';
    if (str_starts_with($class, $prefix)) {
        $file = getenv('SDK_DIR') . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

// The SDK's own file logger implements psr/log 3; Debian ships psr/log 1. A logger of our own,
// set through the SDK's public Logger::setLogger, keeps its APSLogger class from loading.
\AmazonPaymentServicesSdk\AmazonPaymentServices\Logger\Logger::setLogger(new \Psr\Log\NullLogger());

/** The SDK's merchant settings (APSMerchant::setMerchantParams) for $identifier, ordinary keys. */
function merchantParams(string $identifier): array
{
    return [
        'merchant_identifier' => $identifier,
        'access_code' => getenv('ACCESS_CODE'),
        'SHARequestPhrase' => getenv('REQUEST_PHRASE'),
        'SHAResponsePhrase' => getenv('RESPONSE_PHRASE'),
        'SHAType' => 'sha256',
        'sandbox_mode' => true,
        'debug_mode' => false,
        'locale' => 'en',
        '3ds_modal' => false,
    ];
}
