// PayLinkSandbox placeholder
