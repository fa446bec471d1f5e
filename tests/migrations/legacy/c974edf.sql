-- A database made by build c974edf with its own code (demo data and two actions).
BEGIN TRANSACTION;
CREATE TABLE clock_change (
	id INTEGER NOT NULL, 
	exercise_id INTEGER NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	rate FLOAT NOT NULL, 
	wall_at DATETIME NOT NULL, 
	actor VARCHAR(120) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(exercise_id) REFERENCES exercise (id)
);
INSERT INTO "clock_change" VALUES(1,1,'mulai',60.0,'2026-11-30 18:10:42.685860','Peserta Demo');
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
	script JSON, 
	state VARCHAR(20) NOT NULL, 
	judul VARCHAR(200), 
	unit VARCHAR(40), 
	PRIMARY KEY (id), 
	UNIQUE (participant_id, tracking_no), 
	FOREIGN KEY(exercise_id) REFERENCES exercise (id), 
	FOREIGN KEY(participant_id) REFERENCES participant (id)
);
INSERT INTO "complaint" VALUES(1,1,1,1,'1999293','telepon','Disampaikan melalui telepon, dicatat petugas: kartu KIS PBI sy nonaktif pak, pas berobat ke Puskesmas Sukamaju disuruh bayar umum Rp50.000. sy buruh tani gk mampu bayar bpjs mandiri','{"name": "Banara Manullang", "gender": "L", "title": "Bapak", "nik": "3399011206709381", "phone": "087775888073", "address": "Jl. Lingkar Barat No. 99, RT 010/RW 008, Karanganyar, Kec. Sukamaju, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "kis-pbi-nonaktif", "expected_action": "disposisi", "expected_target": "dinsos", "acceptable_targets": [], "partial_targets": ["bpjs-kes", "dinkes"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "sosial", "rahasia": false, "anonim": false, "explanation": "Kartu KIS PBI yang dinonaktifkan karena pemutakhiran data kemiskinan diaktifkan kembali melalui usulan Dinas Sosial, sehingga laporan didisposisikan ke Dinsos, sedangkan BPJS Kesehatan atau Dinkes hanya setengah benar karena keduanya tidak menentukan siapa penerima bantuan iuran (berbeda dengan peserta mandiri yang langsung ke BPJS).", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Jl. Jenderal Sudirman RT 005/RW 014, Karanganyar, Kecamatan Sukamaju.", "duplicate_of": null}','2026-03-02 07:18:00.000000','null','TUNDA',NULL,NULL);
INSERT INTO "complaint" VALUES(2,1,1,2,'1999308','telepon','Laporan via telepon: Apa saja syarat pindah domisili dari luar kota ke Gondang, Kecamatan Tegalsari? Apakah bisa diurus online?','{"name": "Olivia Winarsih", "gender": "P", "title": "Ibu", "nik": "3399044803766167", "phone": "089578932553", "address": "Gg. Kenanga No. 10, RT 012/RW 006, Gondang, Kec. Tegalsari, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "info-syarat-pindah-domisili", "expected_action": "disposisi", "expected_target": "disdukcapil", "acceptable_targets": [], "partial_targets": ["kec-tegalsari"], "klasifikasi": "permintaan_informasi", "kategori": "administrasi_kependudukan", "rahasia": false, "anonim": false, "explanation": "Pelapor hanya menanyakan persyaratan layanan kependudukan, jadi klasifikasinya permintaan informasi, dan jawaban yang tepat dan mutakhir ada di Disdukcapil, sedangkan kecamatan hanya setengah benar karena tidak menetapkan persyaratan.", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Jl. Tentara Pelajar RT 008/RW 003, Gondang, Kecamatan Tegalsari.", "duplicate_of": null}','2026-03-02 07:34:00.000000','null','DIARSIPKAN',NULL,NULL);
INSERT INTO "complaint" VALUES(3,1,1,3,'1999393','sms','ppdb smp kok byk yg rmhnya jauh malah ketrima?? anak sy yg rmhnya 800 m dr SMP Negeri 3 Sukamaju malah gk masuk. ada apa ini','{"name": "Septi Hastuti", "gender": "P", "title": "Ibu", "nik": "3399015701006534", "phone": "087884416889", "address": "Jl. Sawo No. 112, RT 002/RW 007, Kebonsari, Kec. Sukamaju, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "ppdb-smp-zonasi", "expected_action": "disposisi", "expected_target": "disdik", "acceptable_targets": [], "partial_targets": [], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "pendidikan", "rahasia": false, "anonim": false, "explanation": "Penerimaan murid baru jenjang SMP negeri diselenggarakan Dinas Pendidikan kabupaten/kota, jadi laporan zonasi atau domisili SMP didisposisikan ke Disdik, bukan diteruskan ke provinsi yang hanya mengurus SMA dan SMK.", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Jl. Sultan Agung RT 014/RW 007, Kebonsari, Kecamatan Sukamaju.", "duplicate_of": null}','2026-03-02 07:58:00.000000','null','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(4,1,1,4,'1999468','web','trotoar Jl. Jenderal Sudirman udh jd lapak pkl smua, macet tiap sore. tlg ditertibkan','{"name": "Tasdik Kusumo", "gender": "L", "title": "Bapak", "nik": "3399052903611681", "phone": "089593524993", "address": "Jl. Kauman No. 61, RT 003/RW 008, Candisari, Kec. Ngadirejo, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "pkl-trotoar", "expected_action": "disposisi", "expected_target": "satpolpp", "acceptable_targets": [], "partial_targets": ["disdag", "dishub"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "ketertiban_umum", "rahasia": false, "anonim": false, "explanation": "Penertiban PKL yang memakai trotoar dan badan jalan adalah tugas Satpol PP sebagai penegak perda ketertiban umum; Dinas Perdagangan (pembina PKL) dan Dishub (lalu lintas) hanya setengah benar karena tidak berwenang menertibkan.", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Jl. Jenderal Sudirman RT 011/RW 012, Candisari, Kecamatan Ngadirejo.", "duplicate_of": null}','2026-03-02 08:15:00.000000','null','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(5,1,1,5,'1999529','langsung','Pelapor datang ke kantor dan menyampaikan: Dengan hormat, saya Umar Salahudin, mantan karyawan PT Oktaviani Jaya, perusahaan pengolahan kayu di Kedungwringin, Kecamatan Wonosari. Pada 24 Februari saya bersama 12 rekan diberhentikan dengan alasan efisiensi tanpa perundingan, dan perusahaan hanya memberikan uang tali asih Rp1.450.000, jauh di bawah ketentuan pesangon, sementara gaji bulan terakhir pun belum dibayar penuh. Kami sudah dua kali mencoba berunding bipartit namun tidak ada titik temu. Kami mohon difasilitasi mediasi.','{"name": "Umar Salahudin", "gender": "L", "title": "Bapak", "nik": "3399030201598224", "phone": "089574275917", "address": "Jl. Raya Selatan No. 56, RT 004/RW 005, Kedungwringin, Kec. Wonosari, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "pesangon-phk", "expected_action": "disposisi", "expected_target": "disnaker", "acceptable_targets": [], "partial_targets": [], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "ketenagakerjaan", "rahasia": false, "anonim": false, "explanation": "Perselisihan PHK dan pesangon diselesaikan lewat mediasi hubungan industrial oleh mediator Dinas Tenaga Kerja kabupaten/kota, jadi laporan didisposisikan ke Disnaker.", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Jl. Kenari RT 015/RW 008, Kedungwringin, Kecamatan Wonosari.", "duplicate_of": null}','2026-03-02 08:38:00.000000','null','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(6,1,1,6,'1999578','medsos','@lapor1708 Assalamualaikum. Mohon dipertimbangkan, di Jl. Dusun Krajan depan MA Negeri 2 Sukamaju belum ada lampu jalan, anak-anak yang pulang mengaji malam jalan dalam gelap. Terima kasih.','{"name": "Puti Oktaviani", "gender": "P", "title": "Ibu", "nik": "3399046303699140", "phone": "088114512393", "address": "Jl. Tentara Pelajar No. 41, RT 008/RW 002, Ngemplak, Kec. Tegalsari, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "usulan-lampu-jalan-baru", "expected_action": "disposisi", "expected_target": "dishub", "acceptable_targets": [], "partial_targets": ["kec-tegalsari"], "klasifikasi": "aspirasi", "kategori": "infrastruktur", "rahasia": false, "anonim": false, "explanation": "Permintaan memasang lampu jalan di lokasi yang belum pernah ada lampunya adalah aspirasi (usulan hal baru), bukan pengaduan, dan ditujukan ke perangkat daerah pengelola PJU; kecamatan hanya setengah benar karena usulan lewat musrenbang kecamatan tetap dieksekusi pengelola PJU.", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Jl. Dusun Krajan RT 007/RW 014, Ngemplak, Kecamatan Tegalsari.", "duplicate_of": null}','2026-03-02 08:46:00.000000','null','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(7,1,1,7,'1999674','telepon','Disampaikan melalui telepon, dicatat petugas: Nama ibu saya, janda lansia di Jatisari, tiba-tiba dicoret dari daftar PKH padahal kondisinya tidak berubah.','{"name": "Violet Wahyuni", "gender": "P", "title": "Ibu", "nik": "3399035304712398", "phone": "085711883416", "address": "Jl. Ahmad Yani No. 1, RT 008/RW 009, Jatisari, Kec. Wonosari, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "bansos-pkh-data", "expected_action": "disposisi", "expected_target": "dinsos", "acceptable_targets": [], "partial_targets": ["kec-wonosari"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "sosial", "rahasia": false, "anonim": false, "explanation": "Data penerima bansos (DTSEN, PKH, BPNT) diverifikasi dan diusulkan melalui Dinas Sosial, sedangkan kecamatan hanya setengah benar karena hanya mengoordinasikan musyawarah desa/kelurahan dan pendamping tetapi tidak berwenang mengubah data.", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Jl. Kartini RT 002/RW 010, Jatisari, Kecamatan Wonosari.", "duplicate_of": null}','2026-03-02 09:03:00.000000','null','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(8,1,1,8,'1999682','sms','Kepala desa kami, Pak Langgeng Prasetya, makan uang rakyat miskin! BLT dan sembako di Karangrejo disunat tiap bulan. Usut sampai tuntas!!','{"name": "Pardi Winarno", "gender": "L", "title": "Bapak", "nik": "3399021601642210", "phone": "087739920845", "address": "Jl. Sawo No. 76, RT 003/RW 009, Karangrejo, Kec. Karangrejo, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "kades-potong-bansos", "expected_action": "disposisi", "expected_target": "dinsos", "acceptable_targets": ["inspektorat"], "partial_targets": ["dpmd", "kec-karangrejo"], "klasifikasi": "pengaduan_berkadar_pengawasan", "kategori": "sosial", "rahasia": true, "anonim": false, "explanation": "Laporan menuduh kepala desa bernama memotong bantuan sehingga wajib ditandai rahasia demi keselamatan pelapor, lalu didisposisikan ke Dinas Sosial yang mengoordinasikan penyaluran bansos (Inspektorat sebagai APIP yang memeriksa pemerintah desa juga benar), sedangkan DPMD atau kecamatan hanya setengah benar karena membina pemerintahan desa tetapi bukan pemilik program bantuan.", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Gg. Flamboyan RT 003/RW 015, Karangrejo, Kecamatan Karangrejo.", "duplicate_of": null}','2026-03-02 09:22:00.000000','null','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(9,1,1,9,'1999702','telepon','Laporan via telepon: Rumah Pak Luwes di RT 008 Purwosari sering didatangi anak muda tengah malam, diduga jual sabu. Mohon diselidiki.','{"name": "Halima Agustina", "gender": "P", "title": "Ibu", "nik": "3399046911061739", "phone": "085319856055", "address": "Jl. Pemuda No. 107, RT 006/RW 006, Purwosari, Kec. Tegalsari, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "peredaran-narkoba", "expected_action": "bukan_wewenang", "expected_target": "polres", "acceptable_targets": [], "partial_targets": [], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "keamanan", "rahasia": true, "anonim": false, "explanation": "Peredaran narkoba adalah tindak pidana yang ditangani Polres sehingga laporan diteruskan sebagai bukan wewenang, dan laporan wajib ditandai rahasia karena menyebut terduga pelaku dan bisa membahayakan pelapor.", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Gg. Flamboyan RT 008/RW 005, Purwosari, Kecamatan Tegalsari.", "duplicate_of": null}','2026-03-02 09:42:00.000000','null','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(10,1,1,10,'1999762','medsos','Sejak 11 Februari saya tidak bisa lapor SPT tahunan, akun pajak terkunci dan NIK belum terhubung ke NPWP.','{"name": "Cindy Halimah", "gender": "P", "title": "Ibu", "nik": "3399046507613392", "phone": "085393663689", "address": "Jl. Pramuka No. 59, RT 010/RW 004, Ngemplak, Kec. Tegalsari, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "pajak-penghasilan-kpp", "expected_action": "bukan_wewenang", "expected_target": "kpp", "acceptable_targets": [], "partial_targets": [], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "perpajakan", "rahasia": false, "anonim": false, "explanation": "NPWP, SPT Tahunan, PPh dan PPN adalah pajak pusat yang dikelola Direktorat Jenderal Pajak melalui KPP Pratama, bukan Bapenda kabupaten/kota, sehingga laporan diteruskan sebagai bukan wewenang.", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Jl. Pemuda RT 004/RW 011, Ngemplak, Kecamatan Tegalsari.", "duplicate_of": null}','2026-03-02 09:54:00.000000','null','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(11,1,1,11,'1999787','web','sy Edward Wasita nik 3399040605062116 no hp 088181126880. tetangga sy Pak Baktiadi buang puing & sampah ke lahan kosong di Jl. Pahlawan Purwosari tiap mlm, udh sy foto. tlg ditindak','{"name": "Edward Wasita", "gender": "L", "title": "Bapak", "nik": "3399040605062116", "phone": "088181126880", "address": "Jl. Veteran No. 101, RT 015/RW 009, Purwosari, Kec. Tegalsari, Kabupaten Sukamaju", "requested_anonim": false}','[{"name": "ktp_edward_wasita.jpg", "kind": "ktp"}, {"name": "foto_buang_sampah_purwosari.jpg", "kind": "foto"}]','{"topic": "buang-sampah-liar-tetangga", "expected_action": "disposisi", "expected_target": "dlh", "acceptable_targets": ["satpolpp"], "partial_targets": ["kec-tegalsari"], "klasifikasi": "pengaduan_berkadar_pengawasan", "kategori": "lingkungan_hidup", "rahasia": true, "anonim": false, "explanation": "Laporan ini menuduh tetangga bernama dan memuat NIK serta nomor HP pelapor di dalam isi dan lampirannya, sehingga wajib ditandai rahasia agar pelapor tidak menjadi sasaran balasan; pembuangan sampah ilegal ditangani DLH, dan Satpol PP sebagai penegak perda persampahan juga benar.", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Jl. Pahlawan RT 007/RW 005, Purwosari, Kecamatan Tegalsari.", "duplicate_of": null}','2026-03-02 09:57:00.000000','null','BARU',NULL,NULL);
INSERT INTO "complaint" VALUES(12,1,1,12,'1999844','web','Selamat pagi Bapak/Ibu. Saya guru di SD Negeri 4 Tegalsari. Kami ingin membiasakan anak-anak cuci tangan pakai sabun, tetapi belum pernah ada penyuluhan dari Puskesmas Tegalsari dan dokter kecil di sekolah kami belum dilatih. Mohon kiranya petugas kesehatan dapat datang. Terima kasih.','{"name": "Mila Andriani", "gender": "P", "title": "Ibu", "nik": "3399046407668153", "phone": "089665799328", "address": "Jl. Tentara Pelajar No. 60, RT 003/RW 006, Gondang, Kec. Tegalsari, Kabupaten Sukamaju", "requested_anonim": false}','[]','{"topic": "cuci-tangan-pakai-sabun-sekolah", "expected_action": "disposisi", "expected_target": "dinkes", "acceptable_targets": [], "partial_targets": ["disdik", "kec-tegalsari"], "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "kesehatan", "rahasia": false, "anonim": false, "explanation": "Cuci tangan pakai sabun adalah pilar kedua STBM dan perilaku higiene yang dibina Dinas Kesehatan melalui puskesmas dan UKS, bukan masalah bangunan, sehingga Disdik atau kecamatan hanya setengah benar.", "archive_reason": null, "question_hint": null, "tunda_answer": "Mohon maaf kurang lengkap. Lokasinya di Jl. Pasar Lama RT 002/RW 009, Gondang, Kecamatan Tegalsari.", "duplicate_of": null}','2026-03-02 10:16:00.000000','null','BARU',NULL,NULL);
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
INSERT INTO "event" VALUES(1,1,1,'tunda','admin_instansi','Peserta Demo','{"pertanyaan": "Mohon sebutkan lokasi persisnya, Pak."}','TUNDA','2026-03-02 10:21:10.732620','2026-11-30 18:10:42.867831','legacy-key-000000001');
INSERT INTO "event" VALUES(2,2,1,'arsipkan','admin_instansi','Peserta Demo','{"alasan": "spam", "catatan": "uji"}','DIARSIPKAN','2026-03-02 10:21:11.229180','2026-11-30 18:10:42.874608','legacy-key-000000002');
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
	scenario_id VARCHAR(80), 
	facilitator_id INTEGER, 
	location VARCHAR(160), 
	held_on VARCHAR(40), 
	settings JSON NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (code), 
	FOREIGN KEY(facilitator_id) REFERENCES facilitator (id)
);
INSERT INTO "exercise" VALUES(1,'E96ABA76','Latihan demo','solo','kabupaten-sukamaju.toml',2026,12,'2026-03-02 10:21:00.000000','2026-11-30 18:10:42.647543',8.0,'2026-11-30 18:10:42.647543',NULL,NULL,NULL,NULL,'{"office_start": "08:00", "office_end": "16:00", "holidays": ["2026-01-01", "2026-01-16", "2026-02-16", "2026-02-17", "2026-03-18", "2026-03-19", "2026-03-20", "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24", "2026-04-03", "2026-04-05", "2026-05-01", "2026-05-14", "2026-05-15", "2026-05-27", "2026-05-28", "2026-05-31", "2026-06-01", "2026-06-16", "2026-08-17", "2026-08-25", "2026-12-24", "2026-12-25", "2027-01-01"], "sla": {"verifikasi": 3, "tindak_lanjut": 5, "jendela_pelapor": 10, "kuning": 0.6, "penyelesaian": {"pengaduan_berkadar_pengawasan": 60, "pengaduan_tidak_berkadar_pengawasan": 14, "aspirasi": 5, "permintaan_informasi": 5}}, "notes": [], "feedback": "langsung", "scoring": {"weights": {"routing": 25, "aksi": 15, "klasifikasi": 10, "kerahasiaan": 15, "waktu": 15, "kualitas": 10, "hasil": 10}, "leak_penalty": 15, "redispose_cost": 0.1, "late_penalty": 0.25, "tl_min": 150, "tl_max": 1500, "copy_threshold": 0.6}, "scoring_version": 1}');
INSERT INTO "exercise" VALUES(2,'PKGUUV','Bimtek demo: admin penghubung SP4N-LAPOR!','workshop','kabupaten-sukamaju.toml',101,14,'2026-03-02 08:00:00.000000','2026-11-30 18:10:42.842098',4.0,'2026-11-30 18:10:42.842098','bimtek-dasar',1,'Laptop fasilitator',NULL,'{"office_start": "08:00", "office_end": "16:00", "holidays": ["2026-01-01", "2026-01-16", "2026-02-16", "2026-02-17", "2026-03-18", "2026-03-19", "2026-03-20", "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24", "2026-04-03", "2026-04-05", "2026-05-01", "2026-05-14", "2026-05-15", "2026-05-27", "2026-05-28", "2026-05-31", "2026-06-01", "2026-06-16", "2026-08-17", "2026-08-25", "2026-12-24", "2026-12-25", "2027-01-01"], "sla": {"verifikasi": 3, "tindak_lanjut": 5, "jendela_pelapor": 10, "kuning": 0.6, "penyelesaian": {"pengaduan_berkadar_pengawasan": 60, "pengaduan_tidak_berkadar_pengawasan": 14, "aspirasi": 5, "permintaan_informasi": 5}}, "feedback": "langsung", "duration_minutes": 60.0, "minutes_per_hk": 4.0, "scoring": {"weights": {"routing": 25, "aksi": 15, "klasifikasi": 10, "kerahasiaan": 15, "waktu": 15, "kualitas": 10, "hasil": 10}, "leak_penalty": 15, "redispose_cost": 0.1, "late_penalty": 0.25, "tl_min": 150, "tl_max": 1500, "copy_threshold": 0.6}, "scoring_version": 1, "notes": [{"at": "2026-03-02T08:00:00", "text": "Buka kotak masuk bersama peserta. Jelaskan jam simulasi: 1 HK = 4 menit,\nmalam dan akhir pekan lewat seketika. Batas verifikasi 3 HK = 12 menit;\nlaporan menjadi kuning setelah sekitar 7 menit dan merah setelah 12 menit.\nMinta peserta membaca laporan pertama sampai habis sebelum mengeklik apa pun."}, {"at": "2026-03-03T10:00:00", "text": "Tiga laporan baru. Tanyakan: mengapa air PDAM mati tidak dikirim ke Dinas\nPUPR? Dan apa beda klasifikasi pengaduan dengan permintaan informasi?"}, {"at": "2026-03-04T12:00:00", "text": "Cek bersama: laporan menit pertama sudah kuning bila belum diverifikasi.\nMinta satu peserta membacakan judul netral yang ia tulis. Ingatkan bahwa\njudul tidak boleh memuat nama pelapor atau kata-kata kasar dari laporan."}, {"at": "2026-03-04T16:00:00", "text": "Usulan zebra cross adalah aspirasi, bukan pengaduan: batas penyelesaiannya\n5 HK, bukan 14 HK."}, {"at": "2026-03-06T12:00:00", "text": "Laporan jalan rusak tanpa lokasi. Jangan ditebak ke kecamatan mana: tunda dan\ntanyakan nama jalan, desa/kelurahan, kecamatan dan patokannya. Pelapor akan\nmenjawab sekitar 2 menit kemudian dan laporan kembali ke kotak masuk."}, {"at": "2026-03-09T12:00:00", "text": "Spam promosi: arsipkan dengan alasan spam, jangan dibalas."}, {"at": "2026-03-11T12:00:00", "text": "Jeda jam simulasi selama diskusi (sekitar 3 menit). Diskusikan: laporan\nmana yang ditunda dan apa pertanyaannya; laporan mana yang diarsipkan dan\nmengapa. Setelah itu peserta berganti peran menjadi Admin Penghubung dan\nmulai menulis tindak lanjut. Contoh TL konkret: \"Petugas Dinas PUPR telah\nmeninjau lokasi dan penambalan lubang dijadwalkan pada Kamis, 12 Maret 2026\"."}, {"at": "2026-03-12T12:00:00", "text": "Jalan nasional (marka kuning, jalan lintas) adalah kewenangan Kementerian PU\nmelalui BPJN. Tandai bukan wewenang dan sebutkan BPJN sebagai tujuan: laporan\ntidak boleh sekadar ditutup."}, {"at": "2026-03-25T12:00:00", "text": "Tidak ada laporan baru lagi. Minta peserta menyelesaikan TL yang tersisa dan\nmembaca tanggapan pelapor. Periksa: adakah laporan yang masih merah?"}, {"at": "2026-03-27T10:00:00", "text": "Hentikan jam simulasi. Tampilkan skor dan lanjutkan ke diskusi penutup."}]}');
CREATE TABLE facilitator (
	id INTEGER NOT NULL, 
	username VARCHAR(60) NOT NULL, 
	name VARCHAR(120) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	is_admin BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (username)
);
INSERT INTO "facilitator" VALUES(1,'demo','Fasilitator Demo','scrypt:32768:8:1$DLGiadaF8buoWY6O$c00572ba5342cd8c6618e2e5f2b305b9d25ce6781b2e5ebfc952343b3a6aa8595164547254aee9db79892bbb6237d44ddca84da4dd00f16c99ca01d7cc126564',1,'2026-11-30 18:10:42.819410');
CREATE TABLE participant (
	id INTEGER NOT NULL, 
	exercise_id INTEGER NOT NULL, 
	name VARCHAR(120) NOT NULL, 
	unit_name VARCHAR(160) NOT NULL, 
	token VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	personal_code VARCHAR(8), 
	cohort VARCHAR(80), 
	PRIMARY KEY (id), 
	FOREIGN KEY(exercise_id) REFERENCES exercise (id), 
	UNIQUE (token)
);
INSERT INTO "participant" VALUES(1,1,'Peserta Demo','Dinas Komunikasi dan Informatika','sdUufMmQwyZUpPOoCCiMmA','2026-11-30 18:10:42.672784',NULL,NULL);
CREATE TABLE score_override (
	id INTEGER NOT NULL, 
	complaint_id INTEGER NOT NULL, 
	tl_seq INTEGER NOT NULL, 
	rubric INTEGER NOT NULL, 
	actor VARCHAR(120) NOT NULL, 
	wall_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(complaint_id) REFERENCES complaint (id)
);
CREATE INDEX ix_exercise_facilitator_id ON exercise (facilitator_id);
CREATE INDEX ix_clock_change_exercise_id ON clock_change (exercise_id);
CREATE INDEX ix_participant_exercise_id ON participant (exercise_id);
CREATE INDEX ix_complaint_exercise_id ON complaint (exercise_id);
CREATE INDEX ix_complaint_arrived_at ON complaint (arrived_at);
CREATE INDEX ix_complaint_participant_id ON complaint (participant_id);
CREATE INDEX ix_complaint_state ON complaint (state);
CREATE INDEX ix_score_override_complaint_id ON score_override (complaint_id);
CREATE INDEX ix_event_complaint_id ON event (complaint_id);
COMMIT;
