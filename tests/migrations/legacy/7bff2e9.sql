-- A database made by build 7bff2e9 with its own code (demo data and two actions).
BEGIN TRANSACTION;
CREATE TABLE complaint (
	id INTEGER NOT NULL, 
	exercise_id INTEGER NOT NULL, 
	participant_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	tracking_no VARCHAR(20) NOT NULL, 
	channel VARCHAR(20) NOT NULL, 
	text TEXT NOT NULL, 
	reporter JSON NOT NULL, 
	attachments JSON NOT NULL, 
	answer_key JSON NOT NULL, 
	arrived_at DATETIME NOT NULL, 
	state VARCHAR(20) NOT NULL, 
	judul VARCHAR(200), 
	unit VARCHAR(40), 
	PRIMARY KEY (id), 
	UNIQUE (participant_id, tracking_no), 
	FOREIGN KEY(exercise_id) REFERENCES exercise (id), 
	FOREIGN KEY(participant_id) REFERENCES participant (id)
);
INSERT INTO "complaint" VALUES(1,1,1,1,'1999293','telepon','Ikut PTSL katanya gratis, kenyataannya warga Karanganyar disuruh bayar Rp425.000 per bidang! Sertifikatnya juga belum jadi-jadi!','{"name": "Banara Manullang", "gender": "L", "title": "Bapak", "nik": "3399010104586892", "phone": "089686848884", "address": "Jl. Kutisari Selatan No. 71, RT 014/RW 008, Karanganyar, Kec. Sukamaju, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "sertifikat-tanah-bpn", "expected_action": "bukan_wewenang", "expected_target": "bpn", "acceptable_targets": [], "partial_targets": [], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "pertanahan", "rahasia": false, "anonim": false, "explanation": "Pendaftaran tanah, PTSL dan penerbitan sertifikat adalah kewenangan Kementerian ATR/BPN melalui Kantor Pertanahan, instansi vertikal di luar Pemda, sehingga laporan diteruskan sebagai bukan wewenang.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 07:18:00.000000','TUNDA',NULL,NULL);
INSERT INTO "complaint" VALUES(2,1,1,2,'1999296','medsos','Air jarang ngalir tapi tagihan selangit! PDAM Sukamaju jangan seenaknya menaksir tagihan, kami bayar pakai keringat!','{"name": "Sarah Oktaviani", "gender": "P", "title": "Ibu", "nik": "3399015203645149", "phone": "082163313617", "address": "Gg. Moch. Toha No. 33, RT 006/RW 006, Kauman, Kec. Sukamaju, Kabupaten Sukamaju", "requested_anonim": false}','[{"name": "foto_meteran_kauman.jpg", "kind": "foto"}]','{"topic": "pdam-tagihan-membengkak", "expected_action": "disposisi", "expected_target": "pdam", "acceptable_targets": [], "partial_targets": ["bapenda"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "air_minum_sanitasi", "rahasia": false, "anonim": false, "explanation": "Tagihan dan meter air pelanggan adalah urusan Perumda Air Minum, sedangkan Bapenda hanya setengah benar karena mengurus pajak air tanah dan bukan rekening air PDAM.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 07:39:00.000000','DIARSIPKAN',NULL,NULL);
INSERT INTO "complaint" VALUES(3,1,1,3,'1999364','medsos','Tagihan air PDAM saya bulan ini Rp1.400.000, naik hampir tiga kali lipat padahal pemakaian biasa saja dan air sering mati.','{"name": "Ade Samosir", "gender": "L", "title": "Bapak", "nik": "3399011805827495", "phone": "081396542925", "address": "Jl. Peta No. 91, RT 012/RW 005, Pandean, Kec. Sukamaju, Kabupaten Sukamaju", "requested_anonim": false}','[{"name": "foto_meteran_pandean.jpg", "kind": "foto"}]','{"topic": "pdam-tagihan-membengkak", "expected_action": "disposisi", "expected_target": "pdam", "acceptable_targets": [], "partial_targets": ["bapenda"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "air_minum_sanitasi", "rahasia": false, "anonim": false, "explanation": "Tagihan dan meter air pelanggan adalah urusan Perumda Air Minum, sedangkan Bapenda hanya setengah benar karena mengurus pajak air tanah dan bukan rekening air PDAM.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 08:01:00.000000','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(4,1,1,4,'1999457','medsos','sy honorer udh 10 th di SD Negeri 3 Sukamaju, kok blm dpt info soal pppk paruh waktu? syaratnya apa ya','{"name": "Rendy Hardiansyah", "gender": "L", "title": "Bapak", "nik": "3399010906588167", "phone": "081267102035", "address": "Jl. Rajiman No. 65, RT 013/RW 008, Kauman, Kec. Sukamaju, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "info-seleksi-pppk", "expected_action": "disposisi", "expected_target": "bkpsdm", "acceptable_targets": [], "partial_targets": [], "klasifikasi": "permintaan_informasi", "kategori": "kepegawaian", "rahasia": false, "anonim": false, "explanation": "Pelapor menanyakan informasi seleksi PPPK, jadi klasifikasinya permintaan informasi, dan data formasi serta jadwal pengangkatan ASN di daerah dipegang BKPSDM.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 08:14:00.000000','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(5,1,1,5,'1999513','medsos','SPPT PBB tahun ini untuk rumah saya di Tlogowungu naik jadi Rp1.175.000, padahal tahun lalu tidak sampai separuhnya.','{"name": "Mustika Manullang", "gender": "L", "title": "Bapak", "nik": "3399051907563679", "phone": "089627313932", "address": "Gg. Pasir Koja No. 105, RT 001/RW 009, Tlogowungu, Kec. Ngadirejo, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "pbb-p2-salah-tagih", "expected_action": "disposisi", "expected_target": "bapenda", "acceptable_targets": [], "partial_targets": [], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "perpajakan", "rahasia": false, "anonim": false, "explanation": "Sejak UU 28/2009, PBB perdesaan dan perkotaan (PBB-P2) adalah pajak kabupaten yang dikelola Bapenda Kabupaten Sukamaju, berbeda dengan pajak kendaraan yang menjadi pajak provinsi.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 08:34:00.000000','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(6,1,1,6,'1999595','medsos','Yth. Bapak/Ibu, saya melapor secara anonim karena masih bekerja di perusahaan yang saya laporkan. Perusahaan konveksi di Karangrejo, Kecamatan Karangrejo, mempekerjakan puluhan orang, tetapi hanya beberapa staf kantor yang didaftarkan BPJS Ketenagakerjaan. Bulan lalu ada rekan yang tangannya terluka mesin jahit dan biaya pengobatan harus ditanggung sendiri sebesar Rp925.000. Kami mohon ada pemeriksaan terhadap perusahaan tersebut tanpa menyebut siapa yang melapor. Terima kasih.','{"name": "Gantar Nugroho", "gender": "L", "title": "Bapak", "nik": "3399021403677691", "phone": "089583233523", "address": "Jl. Sadang Serang No. 33, RT 009/RW 007, Karangrejo, Kec. Karangrejo, Kabupaten Sukamaju", "requested_anonim": true}','[]','{"topic": "bpjs-tk-tidak-didaftarkan", "expected_action": "bukan_wewenang", "expected_target": "bpjs-tk", "acceptable_targets": [], "partial_targets": ["disnaker"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "ketenagakerjaan", "rahasia": false, "anonim": true, "explanation": "Kepatuhan pemberi kerja mendaftarkan pekerja diperiksa petugas BPJS Ketenagakerjaan, sehingga laporan diteruskan ke sana dengan identitas pelapor disembunyikan karena ia masih bekerja dan takut dipecat; Disnaker hanya setengah benar karena dapat membina perusahaan tetapi bukan penyelenggara jaminan sosial.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 08:49:00.000000','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(7,1,1,7,'1999680','medsos','Sudah dua hari jalan Purwosari tertutup longsoran, anak-anak tidak bisa sekolah, belum ada satu pun petugas yang datang! Tunggu korban dulu?!','{"name": "Clara Zulaika", "gender": "P", "title": "Ibu", "nik": "3399045701840152", "phone": "081130111687", "address": "Gg. Erlangga No. 84, RT 015/RW 008, Purwosari, Kec. Tegalsari, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "longsor-pohon-tumbang", "expected_action": "disposisi", "expected_target": "bpbd", "acceptable_targets": [], "partial_targets": ["pupr", "dlh"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "lingkungan_hidup", "rahasia": false, "anonim": false, "explanation": "Longsor dan pohon tumbang yang mengancam keselamatan warga perlu penanganan darurat oleh BPBD; Dinas PUPR (perbaikan jalan sesudahnya) dan DLH (pohon perindang) hanya setengah benar karena tidak menangani keadaan darurat.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 09:07:00.000000','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(8,1,1,8,'1999729','medsos','Assalamualaikum. Saya warga RT 008/RW 015 Ngemplak, Kec. Tegalsari. Jalan desa menuju makam dan sawah di wilayah kami masih berupa tanah dan batu, sekarang tergerus air hujan sampai membentuk parit di tengah jalan. Anak-anak yang berangkat sekolah harus turun dari motor dan menuntun. Katanya sudah dianggarkan dari dana desa tahun ini tapi sampai sekarang belum dikerjakan. Mohon kejelasannya. Terima kasih.','{"name": "Caket Sinaga", "gender": "L", "title": "Bapak", "nik": "3399043107637115", "phone": "087799106819", "address": "Jl. Soekarno Hatta No. 117, RT 001/RW 005, Ngemplak, Kec. Tegalsari, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "jalan-desa-rusak", "expected_action": "bukan_wewenang", "expected_target": "pemdes", "acceptable_targets": [], "partial_targets": ["dpmd", "kec-sukamaju", "kec-karangrejo", "kec-wonosari", "kec-tegalsari", "kec-ngadirejo", "kec-sendangrejo"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "infrastruktur", "rahasia": false, "anonim": false, "explanation": "Jalan desa dan jalan usaha tani dibangun serta dipelihara Pemerintah Desa, antara lain dari Dana Desa, sehingga diteruskan ke pemerintah desa; Dispermades atau kecamatan hanya setengah benar karena keduanya membina desa tetapi tidak memperbaiki jalannya.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 09:15:00.000000','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(9,1,1,9,'1999744','langsung','Sudah dua hari jalan Jatisari tertutup longsoran, anak-anak tidak bisa sekolah, belum ada satu pun petugas yang datang! Tunggu korban dulu?!','{"name": "Galih Pradipta", "gender": "L", "title": "Bapak", "nik": "3399030410916976", "phone": "089574309920", "address": "Jl. Surapati No. 9, RT 011/RW 005, Jatisari, Kec. Wonosari, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "longsor-pohon-tumbang", "expected_action": "disposisi", "expected_target": "bpbd", "acceptable_targets": [], "partial_targets": ["pupr", "dlh"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "lingkungan_hidup", "rahasia": false, "anonim": false, "explanation": "Longsor dan pohon tumbang yang mengancam keselamatan warga perlu penanganan darurat oleh BPBD; Dinas PUPR (perbaikan jalan sesudahnya) dan DLH (pohon perindang) hanya setengah benar karena tidak menangani keadaan darurat.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 09:31:00.000000','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(10,1,1,10,'1999794','langsung','Selamat siang Bapak/Ibu. Lubang di tikungan Gg. Ahmad Dahlan dekat Pasar Karangrejo makin lebar sejak 21 Februari, malam hari tidak kelihatan karena gelap. Kemarin Senin ada ibu-ibu bonceng anak jatuh di situ. Mohon kiranya bisa segera ditambal. Matur nuwun.','{"name": "Tri Siregar", "gender": "L", "title": "Bapak", "nik": "3399022911990004", "phone": "085787932180", "address": "Jl. W.R. Supratman No. 70, RT 015/RW 002, Banyuurip, Kec. Karangrejo, Kabupaten Sukamaju", "requested_anonim": false}','[{"name": "foto_jalan_banyuurip.jpg", "kind": "foto"}]','{"topic": "jalan-kabupaten-berlubang", "expected_action": "disposisi", "expected_target": "pupr", "acceptable_targets": [], "partial_targets": ["kec-sukamaju", "kec-karangrejo", "kec-wonosari", "kec-tegalsari", "kec-ngadirejo", "kec-sendangrejo"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "infrastruktur", "rahasia": false, "anonim": false, "explanation": "Jalan poros kecamatan berstatus jalan kabupaten sehingga pemeliharaannya menjadi kewenangan Dinas PUPR, sedangkan kecamatan hanya setengah benar karena bisa memantau di lapangan tetapi tidak punya anggaran dan alat untuk memperbaiki jalan.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 09:36:00.000000','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(11,1,1,11,'1999876','sms','Ijazah anak saya di SMA Negeri 2 Sukamaju ditahan karena masih ada tunggakan sumbangan komite. Apakah ini dibenarkan?','{"name": "Hana Oktaviani", "gender": "P", "title": "Ibu", "nik": "3399066301809553", "phone": "087876033634", "address": "Jl. Joyoboyo No. 89, RT 012/RW 003, Mojosari, Kec. Sendangrejo, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "sma-smk-provinsi", "expected_action": "bukan_wewenang", "expected_target": "disdik-prov", "acceptable_targets": [], "partial_targets": [], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "pendidikan", "rahasia": false, "anonim": false, "explanation": "SMA, SMK dan SLB menjadi kewenangan pemerintah provinsi sejak UU 23/2014, jadi laporan ini bukan wewenang Disdik kabupaten dan diteruskan ke Dinas Pendidikan Provinsi Jawa Tengah.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 09:39:00.000000','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(12,1,1,12,'1999954','telepon','Bansos salah sasaran terus! Yang dapat keluarga perangkat desa semua, rakyat kecil cuma jadi penonton!','{"name": "Genta Kuswandari", "gender": "P", "title": "Ibu", "nik": "3399056510932218", "phone": "089688655506", "address": "Jl. Wonoayu No. 40, RT 009/RW 007, Watuagung, Kec. Ngadirejo, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "bansos-pkh-data", "expected_action": "disposisi", "expected_target": "dinsos", "acceptable_targets": [], "partial_targets": ["pemdes"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "sosial", "rahasia": false, "anonim": false, "explanation": "Data penerima bansos (DTKS/DTSEN, PKH, BPNT) diverifikasi dan diusulkan melalui Dinas Sosial kabupaten; pemerintah desa hanya setengah benar karena mengusulkan lewat musyawarah desa tetapi tidak berwenang mengubah data.", "archive_reason": null, "question_hint": null, "duplicate_of": null}','2026-03-02 09:45:00.000000','BARU',NULL,NULL);
CREATE TABLE event (
	id INTEGER NOT NULL, 
	complaint_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	action VARCHAR(30) NOT NULL, 
	role VARCHAR(30) NOT NULL, 
	actor VARCHAR(120) NOT NULL, 
	payload JSON NOT NULL, 
	state_after VARCHAR(20) NOT NULL, 
	sim_at DATETIME NOT NULL, 
	wall_at DATETIME NOT NULL, 
	idem_key VARCHAR(64), 
	PRIMARY KEY (id), 
	UNIQUE (complaint_id, seq), 
	FOREIGN KEY(complaint_id) REFERENCES complaint (id), 
	UNIQUE (idem_key)
);
INSERT INTO "event" VALUES(1,1,1,'tunda','admin_instansi','Peserta Demo','{"pertanyaan": "Mohon sebutkan lokasi persisnya, Pak."}','TUNDA','2026-03-02 09:50:04.990080','2026-11-30 18:10:41.234192','legacy-key-000000001');
INSERT INTO "event" VALUES(2,2,1,'arsipkan','admin_instansi','Peserta Demo','{"alasan": "spam", "catatan": "uji"}','DIARSIPKAN','2026-03-02 09:50:05.479620','2026-11-30 18:10:41.242350','legacy-key-000000002');
CREATE TABLE exercise (
	id INTEGER NOT NULL, 
	code VARCHAR(16) NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	mode VARCHAR(20) NOT NULL, 
	region_file VARCHAR(200) NOT NULL, 
	seed INTEGER NOT NULL, 
	complaint_count INTEGER NOT NULL, 
	sim_start_at DATETIME NOT NULL, 
	wall_start_at DATETIME NOT NULL, 
	speed FLOAT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (code)
);
INSERT INTO "exercise" VALUES(1,'999B5A71','Latihan demo','solo','kabupaten-sukamaju.toml',2026,12,'2026-03-02 09:50:00.000000','2026-11-30 18:10:41.151001',60.0,'2026-11-30 18:10:41.151001');
CREATE TABLE participant (
	id INTEGER NOT NULL, 
	exercise_id INTEGER NOT NULL, 
	name VARCHAR(120) NOT NULL, 
	unit_name VARCHAR(160) NOT NULL, 
	token VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(exercise_id) REFERENCES exercise (id), 
	UNIQUE (token)
);
INSERT INTO "participant" VALUES(1,1,'Peserta Demo','Dinas Komunikasi dan Informatika','quEzNge1_LfswWFZOUnDJw','2026-11-30 18:10:41.151001');
CREATE INDEX ix_participant_exercise_id ON participant (exercise_id);
CREATE INDEX ix_complaint_participant_id ON complaint (participant_id);
CREATE INDEX ix_complaint_state ON complaint (state);
CREATE INDEX ix_complaint_exercise_id ON complaint (exercise_id);
CREATE INDEX ix_event_complaint_id ON event (complaint_id);
COMMIT;
