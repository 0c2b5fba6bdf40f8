// HTTPServer placeholder
