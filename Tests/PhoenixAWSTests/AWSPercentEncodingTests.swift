import PhoenixAWS
import Testing

@Suite struct AWSPercentEncodingTests {
    @Test func onlyUnreservedCharactersStayAsTheyAre() {
        let ascii = String((0x20...0x7E).map { Character(Unicode.Scalar(UInt8($0))) })
        let expected = "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40"
            + "ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~"
        #expect(AWSPercentEncoding.encode(ascii) == expected)
    }

    @Test func nonASCIIIsEncodedAsUppercaseUTF8Bytes() {
        #expect(AWSPercentEncoding.encode("é☃😀") == "%C3%A9%E2%98%83%F0%9F%98%80")
    }

    @Test func spaceIsPercentTwentyNotPlus() {
        #expect(AWSPercentEncoding.encode("a b+c") == "a%20b%2Bc")
    }

    @Test func pathEncodingKeepsSlashesAndDotSegments() {
        #expect(AWSPercentEncoding.encodePath("/b//a dir/../é+%.txt") == "/b//a%20dir/../%C3%A9%2B%25.txt")
    }
}
