# fairhire — the worker pages, in Indonesian (Bahasa Indonesia).
#
# MACHINE-ASSISTED DRAFT: these translations were written without a native speaker and must be
# reviewed by one before they are relied on. Each message not yet reviewed has the line
# `# review: needed` just above it: when you have checked or corrected a message, delete that line.
# `grep -c 'review: needed' locales/*/fairhire.ftl` shows what is left to review.
#
# The message names (left of "=") and the { $variables } must stay as in locales/en/fairhire.ftl;
# change only the text. Keep it short and plain.

## Every page

# review: needed
site-name = Cek FairHire
# review: needed
skip-link = Langsung ke isi utama
# review: needed
languages-label = Bahasa
# review: needed
footer-nav-label = Halaman lain
# review: needed
nav-search = Cek agen
# review: needed
nav-report = Laporkan masalah
# review: needed
footer-text = Layanan gratis untuk pekerja. Layanan ini tidak pernah meminta uang dari Anda.
# review: needed
date = { $day } { $month } { $year }
# review: needed
month-1 = Januari
# review: needed
month-2 = Februari
# review: needed
month-3 = Maret
# review: needed
month-4 = April
# review: needed
month-5 = Mei
# review: needed
month-6 = Juni
# review: needed
month-7 = Juli
# review: needed
month-8 = Agustus
# review: needed
month-9 = September
# review: needed
month-10 = Oktober
# review: needed
month-11 = November
# review: needed
month-12 = Desember

## The start page: search

# review: needed
home-title = Cek agen perekrutan
# review: needed
home-intro = Sebelum membayar siapa pun atau menyerahkan paspor, cek agennya di sini.
# review: needed
search-label = Nama agen atau nomor izin
# review: needed
search-hint = Contoh: Himalayan Manpower, atau DoFE-1234/2075
# review: needed
search-button = Cari
# review: needed
search-results = Hasil untuk “{ $query }”
# review: needed
search-none = Tidak ada agen untuk “{ $query }”. Periksa ejaannya, atau coba nomor izinnya.
# review: needed
search-too-short = Ketik paling sedikit 2 huruf.
# review: needed
search-more = Hanya hasil pertama yang ditampilkan. Ketik lebih banyak dari nama agen untuk menemukan yang tepat.
# review: needed
what-title = Apa arti “bersertifikat” bagi saya?
# review: needed
what-certified = Agen bersertifikat sudah diperiksa oleh auditor independen. Auditor menemukan bahwa agen itu mengikuti aturan perekrutan yang adil.
# review: needed
what-fees = Meski begitu: Anda tidak boleh membayar biaya untuk mendapat pekerjaan.
# review: needed
what-passport = Tidak ada yang boleh menahan paspor atau dokumen Anda yang lain.
# review: needed
what-contract = Mintalah kontrak dalam bahasa yang Anda pahami, sebelum berangkat.
# review: needed
what-change = Sertifikat bisa dibekukan atau dicabut. Cek lagi sebelum Anda tanda tangan.
# review: needed
report-invite = Ada yang salah? Anda bisa melaporkannya. Anda tidak perlu memberi nama.

## The status card of one agency

# review: needed
status-certified = Bersertifikat
# review: needed
status-suspended = Dibekukan
# review: needed
status-withdrawn = Sertifikat dicabut
# review: needed
status-expired = Sertifikat kedaluwarsa
# review: needed
status-never_certified = Tidak bersertifikat
# review: needed
status-applicant = Belum bersertifikat
# review: needed
meaning-certified = Audit independen menemukan bahwa agen ini mengikuti aturan perekrutan yang adil.
# review: needed
meaning-suspended = Jangan mengandalkan sertifikat ini. Masalah serius ditemukan di agen ini.
# review: needed
meaning-withdrawn = Sertifikat agen ini dicabut karena tidak mengikuti aturan.
# review: needed
meaning-expired = Sertifikat ini sudah tidak berlaku. Agen ini belum diperiksa lagi.
# review: needed
meaning-never_certified = Agen ini tidak pernah diperiksa oleh skema ini. Kami tidak bisa mengatakan apakah agen ini adil.
# review: needed
meaning-applicant = Agen ini meminta untuk diperiksa. Pemeriksaan belum selesai. Anggap agen ini belum bersertifikat.
# review: needed
card-status-heading = Status
# review: needed
card-remember = Ingat: Anda tidak boleh membayar biaya untuk mendapat pekerjaan, dan tidak ada yang boleh menahan paspor Anda.
# review: needed
card-other-names = Nama lain
# review: needed
card-licence-heading = Izin
# review: needed
card-licence-number = Nomor izin
# review: needed
card-licence-authority = Dikeluarkan oleh
# review: needed
card-valid = Berlaku
# review: needed
card-valid-range = dari { $from } sampai { $until }
# review: needed
card-valid-from = dari { $from }
# review: needed
card-valid-until = sampai { $until }
# review: needed
card-valid-unknown = Tanggal tidak diketahui
# review: needed
card-licence-expired = Peringatan: izin agen ini berakhir pada { $date }. Agen tanpa izin yang berlaku tidak boleh merekrut pekerja.
# review: needed
card-certificate-heading = Sertifikat
# review: needed
card-certificate-number = Nomor sertifikat
# review: needed
card-certificate-none = Agen ini tidak punya sertifikat.
# review: needed
card-certificate-ended = Sertifikat ini sudah tidak berlaku.
# review: needed
card-certificate-suspended = Dibekukan sejak { $date }: jangan mengandalkannya.
# review: needed
card-checked = Dicek pada { $date }
# review: needed
card-reports = { $count ->
    [one] { $count } laporan pekerja tentang agen ini terbukti benar.
   *[other] { $count } laporan pekerja tentang agen ini terbukti benar.
}
# review: needed
card-share-heading = Tunjukkan halaman ini kepada orang lain
# review: needed
card-qr-label = Kode QR berisi alamat halaman ini
# review: needed
card-qr-help = Pindai kode ini dengan kamera ponsel untuk membuka halaman ini.
# review: needed
card-report-link = Laporkan masalah dengan agen ini

## Reports

# review: needed
report-title = Laporkan masalah
# review: needed
report-intro = Ceritakan apa yang terjadi dengan agen perekrutan. Anda tidak perlu memberi nama. Kami tidak mencatat ponsel atau alamat internet Anda.
# review: needed
report-agency = Agen
# review: needed
report-agency-name = Nama agen
# review: needed
report-agency-name-hint = Tulis nama seperti yang Anda tahu.
# review: needed
report-category = Apa yang terjadi?
# review: needed
report-category-choose = Pilih apa yang terjadi
# review: needed
category-recruitment_fee = Saya membayar biaya untuk mendapat pekerjaan
# review: needed
category-medical = Saya membayar tes kesehatan
# review: needed
category-insurance = Saya membayar asuransi
# review: needed
category-skills_test = Saya membayar tes keterampilan
# review: needed
category-training_orientation = Saya membayar pelatihan
# review: needed
category-equipment = Saya membayar alat, pakaian, atau perlengkapan
# review: needed
category-travel_lodging = Saya membayar perjalanan atau tempat tinggal
# review: needed
category-administrative = Saya membayar dokumen, visa, atau izin
# review: needed
category-illegitimate = Saya membayar suap atau biaya tersembunyi lain
# review: needed
category-document_retention = Mereka menahan paspor atau dokumen saya
# review: needed
category-contract_substitution = Kontrak saya diubah atau diganti
# review: needed
category-deception = Mereka berbohong tentang pekerjaan, gaji, atau tempat
# review: needed
category-threats_or_violence = Ancaman atau kekerasan
# review: needed
category-other = Hal lain
# review: needed
report-fee-heading = Uang yang Anda bayar (jika ada)
# review: needed
report-fee-amount = Jumlah
# review: needed
report-fee-currency = Mata uang
# review: needed
report-fee-currency-hint = 3 huruf, misalnya IDR, NPR, BDT, USD.
# review: needed
report-country = Negara tempat kejadian
# review: needed
report-country-choose = Pilih negara
# review: needed
report-occurred-on = Tanggal kejadian
# review: needed
report-description = Ceritakan apa yang terjadi
# review: needed
report-description-hint = Tulis dalam bahasa apa pun. Paling banyak { $max } karakter.
# review: needed
report-contact = Bagaimana kami bisa menghubungi Anda? (tidak wajib)
# review: needed
report-contact-hint = Hanya tim peninjau yang bisa membaca ini. Biarkan kosong agar tetap anonim.
# review: needed
report-submit = Kirim laporan
# review: needed
report-errors-title = Mohon periksa formulir
# review: needed
report-sent-title = Terima kasih. Laporan Anda sudah diterima.
# review: needed
report-reference = Nomor laporan Anda
# review: needed
report-code = Kode rahasia Anda
# review: needed
report-keep = Catat keduanya, atau foto. Anda memerlukannya untuk mengikuti laporan Anda. Kami tidak bisa menampilkan kode rahasia lagi.
# review: needed
report-follow-link = Ikuti laporan Anda
# review: needed
followup-title = Ikuti laporan Anda
# review: needed
followup-intro = Ketik kode rahasia Anda untuk melihat kabar laporan { $reference }.
# review: needed
followup-code = Kode rahasia
# review: needed
followup-submit = Tampilkan
# review: needed
followup-state-heading = Posisi laporan Anda
# review: needed
state-received = Diterima. Belum ada yang memeriksanya.
# review: needed
state-under_review = Sedang diperiksa.
# review: needed
state-substantiated = Sudah diperiksa dan terbukti benar.
# review: needed
state-unsubstantiated = Sudah diperiksa, tetapi tidak bisa dibuktikan.
# review: needed
state-referred = Diteruskan ke pihak berwenang yang bisa bertindak.
# review: needed
followup-received = Diterima pada { $date }
# review: needed
followup-updated = Perubahan terakhir pada { $date }
# review: needed
followup-reason = Catatan dari tim peninjau

## Form errors

# review: needed
field-required = Isi bagian ini.
# review: needed
field-too-long = Ini terlalu panjang.
# review: needed
field-invalid = Ini tidak valid.
# review: needed
field-amount = Tulis jumlah sebagai angka, misalnya 1500 atau 1500.50.
# review: needed
field-currency = Tulis mata uang dengan 3 huruf, misalnya IDR.
# review: needed
field-country = Pilih negara dari daftar.
# review: needed
field-date = Tulis tanggal yang bukan di masa depan.
# review: needed
field-agency = Pilih agen, atau tulis namanya.

## Error pages

# review: needed
error-back-home = Ke halaman awal
# review: needed
error-400-title = Formulir tidak bisa dibaca
# review: needed
error-400-body = Mohon buka formulir lagi lalu kirim.
# review: needed
error-404-title = Halaman tidak ditemukan
# review: needed
error-404-body = Kami tidak menemukan halaman ini. Tautannya mungkin salah atau sudah lama.
# review: needed
error-403-title = Mohon kirim formulir lagi
# review: needed
error-403-body = Demi keamanan Anda, formulir hanya berlaku sebentar dan hanya di situs ini. Buka formulir lagi lalu kirim.
# review: needed
error-405-title = Halaman ini tidak bisa melakukan itu
# review: needed
error-405-body = Buka halaman dari tautannya saja.
# review: needed
error-413-title = Teks terlalu banyak
# review: needed
error-413-body = Yang Anda kirim terlalu panjang. Mohon dipersingkat.
# review: needed
error-429-title = Mohon tunggu sebentar
# review: needed
error-429-body = Terlalu banyak laporan dikirim dari koneksi Anda. Mohon coba lagi dalam { $minutes ->
    [one] 1 menit
   *[other] { $minutes } menit
}.
# review: needed
error-500-title = Terjadi kesalahan
# review: needed
error-500-body = Ini kesalahan kami. Mohon coba lagi nanti.
