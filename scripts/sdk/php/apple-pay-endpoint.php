<?php
// The merchant's Apple Pay endpoint, as the SDK's example/apple_pay_purchase.php writes it, run
// by PHP's built-in web server (php -S, started by driver.php). Safari's page (the SDK's
// ApplePayHandlerTemplate) posts Apple's payment token as {"data": token} with jQuery, i.e. as a
// form (data[paymentData][data]=…, data[paymentData][header][transactionId]=…,
// data[paymentMethod][displayName]=…); PaymentApplePayAps reads it itself (filter_input_array,
// else php://input) and sends the PURCHASE or AUTHORIZATION. The order (reference, amount) is the
// merchant server's own: here the query string (?command=PURCHASE&merchant_reference=…&amount=…).
// Answers {"status": "success", "answer": the SDK's checked answer} or HTTP 400 with the
// SDK's exception, as the example does.
//
// Environment: SDK_DIR, APPLE_MERCHANT, ACCESS_CODE, REQUEST_PHRASE, RESPONSE_PHRASE,
// APPLE_ACCESS_CODE, APPLE_REQUEST_PHRASE, APPLE_RESPONSE_PHRASE.

declare(strict_types=1);

require_once __DIR__ . '/bootstrap.php';

use AmazonPaymentServicesSdk\AmazonPaymentServices\Merchant\APSMerchant;
use AmazonPaymentServicesSdk\FrontEndAdapter\Maintenance\PaymentApplePayAps;

header('Content-Type: application/json; charset=utf-8');
try {
    APSMerchant::setMerchantParams(applePayMerchantParams());
    $paymentData = [
        'merchant_reference' => (string)($_GET['merchant_reference'] ?? ''),
        'amount' => (float)($_GET['amount'] ?? 0),
        'currency' => 'SAR',
        'language' => 'en',
        'customer_email' => 'sdk@example.com',
        'customer_name' => 'SDK Driver',
        'order_description' => 'PHP SDK driver Apple Pay',
    ];
    $applePay = new PaymentApplePayAps();
    $answer = ($_GET['command'] ?? 'PURCHASE') === 'AUTHORIZATION'
        ? $applePay->applePayAuthorization($paymentData)
        : $applePay->applePayPurchase($paymentData);
    echo json_encode(['status' => 'success', 'message' => $answer['response_message'] ?? 'no message', 'answer' => $answer]);
} catch (\Throwable $error) {
    http_response_code(400);
    echo json_encode(['status' => 'fail', 'message' => get_class($error) . ': ' . $error->getMessage()]);
}

/** The merchant settings with the Apple Pay keys of the SDK's readme (merchant_config.default.php). */
function applePayMerchantParams(): array
{
    return merchantParams(getenv('APPLE_MERCHANT')) + [
        'Apple_AccessCode' => getenv('APPLE_ACCESS_CODE'),
        'Apple_SHARequestPhrase' => getenv('APPLE_REQUEST_PHRASE'),
        'Apple_SHAResponsePhrase' => getenv('APPLE_RESPONSE_PHRASE'),
        'Apple_SHAType' => 'sha256',
        'Apple_DisplayName' => 'PayLinkSandbox SDK driver',
        'Apple_DomainName' => 'https://shop.example',
        'Apple_SupportedNetworks' => ['visa', 'masterCard', 'amex', 'mada'],
        'Apple_SupportedCountries' => [],
        'Apple_CertificatePath' => '/nonexistent/apple-pay-merchant-identity.pem',
        'Apple_CertificateKeyPath' => '/nonexistent/apple-pay-merchant-identity.key',
        'Apple_CertificateKeyPass' => 'unused',
    ];
}
