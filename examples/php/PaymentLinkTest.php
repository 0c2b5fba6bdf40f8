<?php
// Create an APS payment link, pay it through the control API, check it, verify the feedback.
// Run: phpunit examples/php/PaymentLinkTest.php
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/Sandbox.php';

final class PaymentLinkTest extends TestCase
{
    private static Sandbox $sandbox;
    private static FeedbackReceiver $feedback;

    public static function setUpBeforeClass(): void
    {
        self::$feedback = new FeedbackReceiver();
        self::$sandbox = new Sandbox(self::$feedback->url);
    }

    public static function tearDownAfterClass(): void
    {
        self::$sandbox->stop();
    }

    protected function setUp(): void
    {
        self::$sandbox->reset();
        self::$feedback->drain();
    }

    private static function credentials(): array
    {
        return ['access_code' => Aps::MERCHANT['access_code'], 'merchant_identifier' => Aps::MERCHANT['merchant_identifier']];
    }

    private function createLink(string $reference): array
    {
        return self::$sandbox->paymentApi(Aps::signed(['service_command' => 'PAYMENT_LINK'] + self::credentials() + [
            'merchant_reference' => $reference, 'amount' => '125000', 'currency' => 'SAR',
            'language' => 'en', 'customer_email' => 'customer@example.com',
            'request_expiry_date' => '2030-12-31T23:59:59+03:00', 'notification_type' => 'NONE',
            'order_description' => 'Invoice 1',
        ]));
    }

    public function testAPaidLinkIsReportedPaidAndItsFeedbackIsSigned(): void
    {
        $created = $this->createLink('order-1');
        $this->assertSame('48000', $created['response_code']);
        $this->assertTrue(Aps::isAuthentic($created));

        $paid = self::$sandbox->post("/__sandbox/links/{$created['payment_link_id']}/pay", ['card_number' => '4005550000000001']);
        $this->assertSame('approved', $paid['outcome']);

        $status = self::$sandbox->paymentApi(Aps::signed(['query_command' => 'CHECK_PAYMENT_LINK_STATUS'] + self::credentials()
            + ['merchant_reference' => 'order-1']));
        $this->assertSame('12000', $status['response_code']);
        $this->assertSame('Paid', $status['payment_link_status']);
        $this->assertTrue(Aps::isAuthentic($status));

        $feedback = self::$feedback->next();
        $this->assertSame('/aps/feedback', $feedback['path']);
        $notice = $feedback['body'];
        $this->assertSame('14000', $notice['response_code']);
        $this->assertSame($paid['fort_id'], $notice['fort_id']);
        $this->assertTrue(Aps::isAuthentic($notice));
        $this->assertFalse(Aps::isAuthentic(['amount' => '1'] + $notice), 'a changed amount must break the signature');
    }

    public function testEachTestStartsFromAResetSandbox(): void
    {
        $this->assertSame('48000', $this->createLink('order-1')['response_code']);
        $this->assertSame('49066', $this->createLink('order-1')['response_code']);
    }
}
