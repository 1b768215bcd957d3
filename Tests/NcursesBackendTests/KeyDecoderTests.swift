import CNcursesw
import NcursesBackend
import PolicyTrackerApp
import Testing

@Suite struct KeyDecoderTests {
    private func character(_ code: UInt32) -> InputEvent? {
        KeyDecoder.decode(result: OK, code: code)
    }

    private func keyCode(_ code: Int32) -> InputEvent? {
        KeyDecoder.decode(result: KEY_CODE_YES, code: UInt32(bitPattern: code))
    }

    // MARK: characters (wget_wch returned OK)

    @Test(arguments: ["a", "Z", "0", " ", "/", "?", "*", "é", "日", "한", "😀", "\u{A0}"] as [Character])
    func printableCharactersAreCharacterKeys(_ character: Character) {
        let code = character.unicodeScalars.first!.value
        #expect(self.character(code) == .key(.character(character)))
    }

    @Test func returnAndLineFeedAreEnter() {
        #expect(character(0x0D) == .key(.enter))
        #expect(character(0x0A) == .key(.enter))
    }

    @Test func tabEscapeAndBackspace() {
        #expect(character(0x09) == .key(.tab))
        #expect(character(0x1B) == .key(.escape))
        #expect(character(0x7F) == .key(.backspace))
        #expect(character(0x08) == .key(.backspace))
    }

    @Test(arguments: Array(UInt32(1)...26).filter { ![0x08, 0x09, 0x0A, 0x0D].contains($0) })
    func otherControlCharactersAreControlLetters(_ code: UInt32) {
        let letter = Character(Unicode.Scalar(UInt8(0x60 + code)))
        #expect(character(code) == .key(.control(letter)))
    }

    @Test func ctrlCIsAKeyNotASignal() {
        #expect(character(0x03) == .key(.control("c")))
    }

    @Test(arguments: [0x00, 0x1C, 0x1D, 0x1E, 0x1F, 0x80, 0x85, 0x9B, 0x9F, 0xD800, 0xDFFF, 0x110000] as [UInt32])
    func otherControlsAndNonScalarsAreIgnored(_ code: UInt32) {
        #expect(character(code) == nil)
    }

    // MARK: key codes (wget_wch returned KEY_CODE_YES)

    @Test func arrows() {
        #expect(keyCode(KEY_UP) == .key(.up))
        #expect(keyCode(KEY_DOWN) == .key(.down))
        #expect(keyCode(KEY_LEFT) == .key(.left))
        #expect(keyCode(KEY_RIGHT) == .key(.right))
    }

    @Test func pagingKeys() {
        #expect(keyCode(KEY_PPAGE) == .key(.pageUp))
        #expect(keyCode(KEY_NPAGE) == .key(.pageDown))
        #expect(keyCode(KEY_HOME) == .key(.home))
        #expect(keyCode(KEY_END) == .key(.end))
    }

    @Test func keypadCornersArePagingKeys() {
        #expect(keyCode(KEY_A1) == .key(.home))
        #expect(keyCode(KEY_A3) == .key(.pageUp))
        #expect(keyCode(KEY_C1) == .key(.end))
        #expect(keyCode(KEY_C3) == .key(.pageDown))
    }

    @Test func editingKeys() {
        #expect(keyCode(KEY_ENTER) == .key(.enter))
        #expect(keyCode(KEY_BTAB) == .key(.backTab))
        #expect(keyCode(KEY_BACKSPACE) == .key(.backspace))
        #expect(keyCode(KEY_DC) == .key(.delete))
    }

    @Test(arguments: 1...12)
    func functionKeys(_ number: Int) {
        #expect(keyCode(ptrack_key_f(Int32(number))) == .key(.function(number)))
    }

    @Test(arguments: [ptrack_key_f(0), ptrack_key_f(13), KEY_IC, KEY_PRINT, KEY_RESIZE, KEY_MOUSE])
    func otherKeyCodesAreIgnored(_ code: Int32) {
        #expect(keyCode(code) == nil)
    }

    @Test func keyCodeValuesAreNotReadAsCharacters() {
        // KEY_UP (0o403) as a character would be "ă"; as a key code it is the up arrow.
        #expect(character(UInt32(KEY_UP)) == .key(.character("\u{103}")))
        #expect(keyCode(KEY_UP) == .key(.up))
    }

    @Test func errorIsNoEvent() {
        #expect(KeyDecoder.decode(result: ERR, code: 0x61) == nil)
        #expect(KeyDecoder.decode(result: ERR, code: 0) == nil)
    }

    // MARK: mouse

    @Test func buttonOnePressOrClickIsAPress() {
        #expect(KeyDecoder.decodeMouse(buttons: ptrack_button1_pressed(), x: 3, y: 7)
            == .mouse(MouseEvent(kind: .press, x: 3, y: 7)))
        #expect(KeyDecoder.decodeMouse(buttons: ptrack_button1_clicked(), x: 0, y: 0)
            == .mouse(MouseEvent(kind: .press, x: 0, y: 0)))
    }

    @Test func buttonsFourAndFiveAreTheWheel() {
        #expect(KeyDecoder.decodeMouse(buttons: ptrack_button4_pressed(), x: 10, y: 2)
            == .mouse(MouseEvent(kind: .wheelUp, x: 10, y: 2)))
        #expect(KeyDecoder.decodeMouse(buttons: ptrack_button5_pressed(), x: 10, y: 2)
            == .mouse(MouseEvent(kind: .wheelDown, x: 10, y: 2)))
    }

    @Test func releasesAndEmptyReportsAreIgnored() {
        let buttonOneReleased = ptrack_button1_pressed() >> 1  // NCURSES_BUTTON_RELEASED is the bit below PRESSED
        #expect(KeyDecoder.decodeMouse(buttons: buttonOneReleased, x: 1, y: 1) == nil)
        #expect(KeyDecoder.decodeMouse(buttons: 0, x: 1, y: 1) == nil)
    }

    // MARK: Alt keys and bracketed pastes

    @Test func escThenACharacterAtOnceIsAnAltKey() {
        #expect(KeyDecoder.afterEscape(.key(.character("b"))) == [.key(.alt("b"))])
        #expect(KeyDecoder.afterEscape(.key(.backspace)) == [.key(.alt("\u{7F}"))], "Alt-Backspace")
    }

    @Test func escAloneOrBeforeAnotherKindOfEventStaysEsc() {
        #expect(KeyDecoder.afterEscape(nil) == [.key(.escape)])
        #expect(KeyDecoder.afterEscape(.key(.escape)) == [.key(.escape), .key(.escape)])
        #expect(KeyDecoder.afterEscape(.key(.up)) == [.key(.escape), .key(.up)])
        #expect(KeyDecoder.afterEscape(.resize(Size(width: 80, height: 24))) == [.key(.escape), .resize(Size(width: 80, height: 24))])
    }

    @Test func aPasteIsOneEventWithItsTextAsItCame() {
        let text = "https://example.org/made-up\nA\u{1B}x\t日本"
        #expect(KeyDecoder.paste(text.unicodeScalars.map(\.value)) == .key(.paste(text)))
        #expect(KeyDecoder.paste([0x61, 0xD800, 0x110000, 0x62]) == .key(.paste("ab")), "values that are not scalars are left out")
    }

    @Test func thePasteMarkersAreNoOtherKey() {
        #expect(KeyDecoder.pasteStart > KEY_MAX && KeyDecoder.pasteEnd > KEY_MAX && KeyDecoder.pasteStart != KeyDecoder.pasteEnd)
        #expect(keyCode(KeyDecoder.pasteStart) == nil && keyCode(KeyDecoder.pasteEnd) == nil)
    }

    @Test func theClipboardSequenceIsOSC52InBase64() {
        #expect(Clipboard.osc52("gsomia") == "\u{1B}]52;c;Z3NvbWlh\u{07}")
        #expect(Clipboard.osc52("\u{1B}]0;x\u{07}") == "\u{1B}]52;c;G10wO3gH\u{07}", "controls in the text travel as base64")
    }
}
