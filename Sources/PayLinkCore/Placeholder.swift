// PayLinkCore placeholder
