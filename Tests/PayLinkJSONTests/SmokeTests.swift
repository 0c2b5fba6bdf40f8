import Testing
import PayLinkJSON

@Test func smoke() throws {
    let v = try JSONParser.parse("{\"a\":[1,2.5,\"x\\u00e9\"],\"b\":null}")
    #expect(v.jsonText == "{\"a\":[1,2.5,\"xé\"],\"b\":null}")
}
