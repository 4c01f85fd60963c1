package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Side is the width and height of a digit; Pixels = Side*Side.
const (
	Side    = 28
	Pixels  = Side * Side
	Classes = 10
	// MaxCount bounds the digits of one file (MNIST has 70,000 in all).
	MaxCount = 100_000
	// DefaultLimit bounds the decompressed size a reader accepts (MaxCount digits and a header).
	DefaultLimit = 16 + MaxCount*(Pixels+1)
)

var magic = [8]byte{'L', 'F', 'D', 'I', 'G', 'I', 'T', '1'}

// Set is a set of digits: Pix holds Count() rows of Pixels grey levels (0 = background).
type Set struct {
	Pix    []uint8
	Labels []uint8
}

// Count is the number of digits.
func (s *Set) Count() int { return len(s.Labels) }

// Digit returns digit i's pixels (a view of Pix).
func (s *Set) Digit(i int) []uint8 { return s.Pix[i*Pixels : (i+1)*Pixels] }

// Float writes digit i's pixels scaled to [0, 1] into out (Pixels values).
func (s *Set) Float(i int, out []float32) {
	for j, v := range s.Digit(i) {
		out[j] = float32(v) / 255
	}
}

// Write writes s in the file format (gzip-compressed).
func Write(w io.Writer, s *Set) error {
	n := s.Count()
	if n < 1 || n > MaxCount || len(s.Pix) != n*Pixels {
		return fmt.Errorf("mnist: %d labels and %d pixels do not make 1..%d digits of %d pixels", n, len(s.Pix), MaxCount, Pixels)
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	var hdr [16]byte
	copy(hdr[:8], magic[:])
	binary.LittleEndian.PutUint32(hdr[8:], uint32(n))
	binary.LittleEndian.PutUint16(hdr[12:], Side)
	binary.LittleEndian.PutUint16(hdr[14:], Side)
	for _, b := range [][]byte{hdr[:], s.Labels, s.Pix} {
		if _, err := zw.Write(b); err != nil {
			return err
		}
	}
	return zw.Close()
}

// Read reads a digit file (gzip-compressed), refusing one whose decompressed size exceeds
// limit bytes (DefaultLimit when limit <= 0).
func Read(r io.Reader, limit int64) (*Set, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("digit file: not gzip data (%v)", err)
	}
	// One byte past the limit tells an oversized stream from one that fits exactly.
	data, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errors.New("digit file: the compressed stream is truncated")
		}
		return nil, fmt.Errorf("digit file: %v", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("digit file: larger than the %d-byte limit once decompressed", limit)
	}
	return Parse(data)
}

// ReadBytes is Read on a byte slice.
func ReadBytes(b []byte, limit int64) (*Set, error) { return Read(bytes.NewReader(b), limit) }

// Parse decodes the decompressed contents of a digit file.
func Parse(data []byte) (*Set, error) {
	if len(data) < 16 {
		return nil, fmt.Errorf("digit file: %d bytes, shorter than the 16-byte header", len(data))
	}
	if !bytes.Equal(data[:8], magic[:]) {
		return nil, fmt.Errorf("digit file: magic %q, want %q", data[:8], magic[:])
	}
	n := int(binary.LittleEndian.Uint32(data[8:]))
	rows, cols := binary.LittleEndian.Uint16(data[12:]), binary.LittleEndian.Uint16(data[14:])
	if rows != Side || cols != Side {
		return nil, fmt.Errorf("digit file: digits of %d x %d pixels, want %d x %d", rows, cols, Side, Side)
	}
	if n < 1 || n > MaxCount {
		return nil, fmt.Errorf("digit file: count %d, want 1..%d", n, MaxCount)
	}
	want := 16 + n + n*Pixels
	if len(data) != want {
		return nil, fmt.Errorf("digit file: %d bytes for %d digits, want %d (truncated or trailing data)", len(data), n, want)
	}
	s := &Set{Labels: append([]uint8(nil), data[16:16+n]...), Pix: append([]uint8(nil), data[16+n:]...)}
	for i, c := range s.Labels {
		if c >= Classes {
			return nil, fmt.Errorf("digit file: label %d of digit %d, want 0..9", c, i+1)
		}
	}
	return s, nil
}
