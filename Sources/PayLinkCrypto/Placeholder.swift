// PayLinkCrypto placeholder
