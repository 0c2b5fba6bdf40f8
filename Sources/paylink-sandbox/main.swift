print("paylink-sandbox")
