<?php
// Drives the official APS PHP SDK (payfort/payfort-php-sdk, unmodified) against the sandbox.
// The SDK hard-codes https://sbpaymentservices.payfort.com and https://sbcheckout.payfort.com:
// run-php-sdk.sh maps those names to the HTTPS front (scripts/https-proxy.sh) and makes curl
// trust its CA; nothing else is changed. Each step prints one line
// "STEP <name> <PASS|FAIL|SKIP> <response_code> <note>" and the run ends with a summary table.
//
// Environment: SDK_DIR (the SDK checkout), SANDBOX_URL (the sandbox's own http:// address, for
// the control API and the orders set up beforehand), BROWSER (scripts/sdk/browser.py),
// CA_FILE, MERCHANT, ACCESS_CODE, REQUEST_PHRASE, RESPONSE_PHRASE, TRUSTED_MERCHANT (optional),
// APPLE_MERCHANT (a merchant with Apple Pay credentials), APPLE_ACCESS_CODE, APPLE_REQUEST_PHRASE,
// APPLE_RESPONSE_PHRASE (its Apple Pay set, for apple-pay-endpoint.php).

declare(strict_types=1);

require_once __DIR__ . '/bootstrap.php';
require_once __DIR__ . '/support.php';

use AmazonPaymentServicesSdk\AmazonPaymentServices\Core\APSCore;
use AmazonPaymentServicesSdk\AmazonPaymentServices\Merchant\APSMerchant;
use AmazonPaymentServicesSdk\FrontEndAdapter\Maintenance\InstallmentsPlans;
use AmazonPaymentServicesSdk\FrontEndAdapter\Maintenance\PaymentCapture;
use AmazonPaymentServicesSdk\FrontEndAdapter\Maintenance\PaymentCheckStatus;
use AmazonPaymentServicesSdk\FrontEndAdapter\Maintenance\PaymentMoto;
use AmazonPaymentServicesSdk\FrontEndAdapter\Maintenance\PaymentRecurring;
use AmazonPaymentServicesSdk\FrontEndAdapter\Maintenance\PaymentRefund;
use AmazonPaymentServicesSdk\FrontEndAdapter\Maintenance\PaymentTrusted;
use AmazonPaymentServicesSdk\FrontEndAdapter\Maintenance\PaymentVoidAuthorization;
use AmazonPaymentServicesSdk\FrontEndAdapter\Payments\CCCustom;
use AmazonPaymentServicesSdk\FrontEndAdapter\Payments\CCRedirect;
use AmazonPaymentServicesSdk\FrontEndAdapter\Payments\InstallmentsCCRedirect;

APSMerchant::setMerchantParams(merchantParams(getenv('MERCHANT')));
$run = 'php-' . substr(bin2hex(random_bytes(4)), 0, 8);
$returnUrl = 'http://127.0.0.1:9/sdk-return';
$steps = new Steps();
// Sent when TOKENIZATION gave no token, so the recurring and MOTO requests still go out.
const NO_TOKEN = 'sdk-driver-no-token';

// --- Maintenance and queries on orders made beforehand (a paid PAYMENT_LINK) ---------------

$steps->run('GET_INSTALLMENTS_PLANS', function () {
    $answer = (new InstallmentsPlans())->getInstallmentsPlans(['amount' => 1000, 'currency' => 'SAR', 'language' => 'en']);
    $issuers = count($answer['installment_detail']['issuer_detail'] ?? []);
    return [$answer['response_code'] ?? '-', ($answer['response_code'] ?? '') === '62000', "$issuers issuers, signature checked by the SDK"];
});

$purchase = paidLinkOrder("$run-p", 'PURCHASE', 50000);
$steps->run('CHECK_STATUS', function () use ($purchase) {
    $answer = (new PaymentCheckStatus())->paymentCheckStatus(['merchant_reference' => $purchase['merchant_reference'], 'language' => 'en']);
    return [$answer['response_code'] ?? '-', ($answer['response_code'] ?? '') === '12000', 'transaction_status ' . ($answer['transaction_status'] ?? '-')];
});

$steps->run('REFUND', function () use ($purchase) {
    $answer = (new PaymentRefund())->paymentRefund(['merchant_reference' => $purchase['merchant_reference'], 'amount' => 100, 'currency' => 'SAR', 'language' => 'en']);
    return [$answer['response_code'] ?? '-', ($answer['response_code'] ?? '') === '06000', 'partial, 100.00 of 500.00'];
});

$authorization = paidLinkOrder("$run-a", 'AUTHORIZATION', 30000);
$steps->run('CAPTURE', function () use ($authorization) {
    $answer = (new PaymentCapture())->paymentCapture(['merchant_reference' => $authorization['merchant_reference'], 'amount' => 300, 'currency' => 'SAR', 'language' => 'en']);
    return [$answer['response_code'] ?? '-', ($answer['response_code'] ?? '') === '04000', ''];
});

$toVoid = paidLinkOrder("$run-v", 'AUTHORIZATION', 20000);
$steps->run('VOID_AUTHORIZATION', function () use ($toVoid) {
    $answer = (new PaymentVoidAuthorization())->paymentVoid(['merchant_reference' => $toVoid['merchant_reference'], 'language' => 'en']);
    return [$answer['response_code'] ?? '-', ($answer['response_code'] ?? '') === '08000', ''];
});

// Amounts go to the PHP SDK in major units: PaymentDTO converts them to minor units (x100 for
// SAR) and sends an integer, a JSON number.

// --- The hosted checkout: the SDK renders a form, a "browser" posts and pays it --------------

$paymentData = fn (string $reference, int $amount) => [
    'merchant_reference' => $reference, 'amount' => $amount, 'currency' => 'SAR', 'language' => 'en',
    'customer_email' => 'sdk@example.com', 'customer_name' => 'SDK Driver', 'order_description' => 'PHP SDK driver',
];

$steps->run('redirect PURCHASE (CCRedirect)', function () use ($paymentData, $run, $returnUrl) {
    $html = (new CCRedirect())->setPaymentData($paymentData("$run-rp", 125))->usePurchaseCommand()->setCallbackUrl($returnUrl)->render();
    return returnedResult(payForm($html), '14000');
});

$steps->run('redirect AUTHORIZATION (CCRedirect)', function () use ($paymentData, $run, $returnUrl) {
    $html = (new CCRedirect())->setPaymentData($paymentData("$run-ra", 125))->useAuthorizationCommand()->setCallbackUrl($returnUrl)->render();
    return returnedResult(payForm($html), '02000');
});

$token = null;
$steps->run('TOKENIZATION (CCCustom, Merchant Page)', function () use ($run, $returnUrl, &$token) {
    $html = (new CCCustom())->setPaymentData(['merchant_reference' => "$run-t", 'language' => 'en'])->setCallbackUrl($returnUrl)->render();
    // The merchant's own form (the SDK's custom.html) posts the card fields with the signed ones.
    $card = ['card_number' => '4005550000000001', 'expiry_date' => '3005', 'card_security_code' => '123', 'card_holder_name' => 'SDK Driver'];
    $result = payForm($html, $card);
    $token = $result['fields']['token_name'] ?? null;
    [$code, $ok, $note] = returnedResult($result, '18000');
    return [$code, $ok && $token, $token ? "token_name $token; $note" : $note];
});

$steps->run('recurring PURCHASE eci=RECURRING (PaymentRecurring)', function () use ($paymentData, $run, &$token) {
    $answer = (new PaymentRecurring())->paymentRecurring($paymentData("$run-rc", 50) + ['token_name' => $token ?? NO_TOKEN]);
    return [$answer['response_code'] ?? '-', ($answer['response_code'] ?? '') === '14000', 'eci ' . ($answer['eci'] ?? '-')];
});

$steps->run('MOTO PURCHASE eci=MOTO (PaymentMoto)', function () use ($paymentData, $run, &$token) {
    $answer = (new PaymentMoto())->paymentMoto($paymentData("$run-m", 50) + ['token_name' => $token ?? NO_TOKEN, 'customer_ip' => '192.0.2.10']);
    return [$answer['response_code'] ?? '-', ($answer['response_code'] ?? '') === '14000', 'eci ' . ($answer['eci'] ?? '-')];
});

$steps->run('installments PURCHASE (InstallmentsCCRedirect)', function () use ($paymentData, $run, $returnUrl) {
    $html = (new InstallmentsCCRedirect())->setPaymentData($paymentData("$run-i", 1500))->setCallbackUrl($returnUrl)->render();
    // A card of the default catalogue's SAR issuer (BIN 455701, the 3-D Secure Visa): STANDALONE needs an eligible card.
    $result = payForm($html, [], ['card_number' => getenv('INSTALLMENTS_CARD') ?: '4557012345678902']);
    [$code, $ok, $note] = returnedResult($result, '14000');
    $plan = $result['fields']['plan_code'] ?? ($result['fields']['installments_plan_code'] ?? null);
    return [$code, $ok, ($plan ? "plan $plan; " : 'no plan field; ') . $note];
});

$steps->run('trusted channel PURCHASE (PaymentTrusted)', function () use ($paymentData, $run) {
    $trusted = getenv('TRUSTED_MERCHANT');
    if ($trusted) {
        APSMerchant::setMerchantParams(merchantParams($trusted));
    }
    try {
        $answer = (new PaymentTrusted())->paymentTrusted($paymentData("$run-tc", 70) + [
            'eci' => 'ECOMMERCE', 'customer_ip' => '192.0.2.10', 'card_number' => '4005550000000001',
            'expiry_date' => '3005', 'card_security_code' => '123', 'card_holder_name' => 'SDK Driver',
        ]);
    } finally {
        APSMerchant::setMerchantParams(merchantParams(getenv('MERCHANT')));
    }
    if (!is_array($answer)) {
        return ['-', false, 'answered with a 3-D Secure page: ' . substr((string)$answer, 0, 80)];
    }
    return [$answer['response_code'] ?? '-', ($answer['response_code'] ?? '') === '14000', $trusted ? "merchant $trusted (trusted_channel)" : 'demo merchant'];
});

// --- Apple Pay: Safari posts Apple's token to the merchant's endpoint, which calls the SDK ---
// apple-pay-endpoint.php (PHP's built-in server) runs PaymentApplePayAps::applePayPurchase /
// applePayAuthorization on what was posted, with the Apple Pay merchant settings
// (Apple_AccessCode, Apple_SHARequestPhrase, …) of merchant APPLE_MERCHANT, which
// run-php-sdk.sh made with `apple_pay` credentials through the control API. The display name's
// last four characters choose the outcome (docs/aps-apple-pay.md).

$appleMerchant = getenv('APPLE_MERCHANT');
$appleEndpoint = null;
$appleStarted = null;
try {
    [$appleEndpoint, $appleProcess] = startApplePayEndpoint();
} catch (\Throwable $error) {
    $appleStarted = $error->getMessage();
}
$applePay = function (string $command, string $reference, float $amount, string $displayName, string $expected) use ($appleMerchant, &$appleEndpoint, &$appleStarted) {
    if (!$appleMerchant) {
        return ['-', false, 'no Apple Pay merchant: the sandbox refused the merchant with apple_pay (see the run\'s output)'];
    }
    if (!$appleEndpoint) {
        return ['-', false, $appleStarted];
    }
    $answer = payWithApplePay($appleEndpoint, $command, $reference, $amount, applePayToken($displayName, strtok($displayName, ' ')));
    $code = $answer['response_code'] ?? '-';
    return [$code, $code === $expected && ($answer['digital_wallet'] ?? '') === 'APPLE_PAY',
        "merchant $appleMerchant, '$displayName', " . ($answer['payment_option'] ?? '-') . ', signature checked by the SDK (Apple Pay phrase), ' . ($answer['response_message'] ?? '')];
};

$steps->run('Apple Pay PURCHASE (PaymentApplePayAps::applePayPurchase)', fn () => $applePay('PURCHASE', "$run-ap", 45, 'Visa 0492', '14000'));
$steps->run('Apple Pay PURCHASE declined 0028 (applePayPurchase)', fn () => $applePay('PURCHASE', "$run-apd", 45, 'Visa 0028', '13029'));
$steps->run('Apple Pay AUTHORIZATION (PaymentApplePayAps::applePayAuthorization)', fn () => $applePay('AUTHORIZATION', "$run-aa", 60, 'MasterCard 4444', '02000'));

$steps->run('CAPTURE of the Apple Pay AUTHORIZATION (PaymentCapture)', function () use ($appleMerchant, $run) {
    if (!$appleMerchant) {
        return ['-', false, 'no Apple Pay merchant'];
    }
    APSMerchant::setMerchantParams(merchantParams($appleMerchant));
    try {
        $answer = (new PaymentCapture())->paymentCapture(['merchant_reference' => "$run-aa", 'amount' => 60, 'currency' => 'SAR', 'language' => 'en']);
    } finally {
        APSMerchant::setMerchantParams(merchantParams(getenv('MERCHANT')));
    }
    return [$answer['response_code'] ?? '-', ($answer['response_code'] ?? '') === '04000', "merchant $appleMerchant, ordinary credentials, full 60.00"];
});

if (isset($appleProcess)) {
    proc_terminate($appleProcess);
    proc_close($appleProcess);
}

exit($steps->summary('PHP SDK') ? 0 : 1);
