package demo

// Town is a UK town with the postcode districts the demo draws from.
type Town struct {
	Name      string
	Region    string
	Districts []string
	Lat, Lng  float64
}

// Towns are the places demo people live in: enough spread for regional
// views and "nearest group" searches in later capabilities.
var Towns = []Town{
	// London
	{"Hackney", "London", []string{"E5", "E8", "E9", "N16"}, 51.545, -0.055},
	{"Lewisham", "London", []string{"SE4", "SE6", "SE13", "SE23"}, 51.445, -0.020},
	{"Brixton", "London", []string{"SW2", "SW9"}, 51.462, -0.115},
	{"Islington", "London", []string{"N1", "N5", "N7", "N19"}, 51.546, -0.105},
	{"Camden", "London", []string{"NW1", "NW3", "NW5"}, 51.541, -0.143},
	{"Tower Hamlets", "London", []string{"E1", "E2", "E3", "E14"}, 51.520, -0.030},
	{"Southwark", "London", []string{"SE1", "SE5", "SE15", "SE22"}, 51.475, -0.075},
	{"Haringey", "London", []string{"N8", "N15", "N17", "N22"}, 51.590, -0.100},
	{"Walthamstow", "London", []string{"E17"}, 51.584, -0.020},
	{"Newham", "London", []string{"E6", "E7", "E13", "E15"}, 51.530, 0.030},
	{"Croydon", "London", []string{"CR0", "CR7"}, 51.376, -0.098},
	{"Ealing", "London", []string{"W5", "W7", "W13"}, 51.513, -0.305},
	// South East
	{"Brighton", "South East", []string{"BN1", "BN2", "BN3"}, 50.822, -0.137},
	{"Oxford", "South East", []string{"OX1", "OX3", "OX4"}, 51.752, -1.258},
	{"Reading", "South East", []string{"RG1", "RG2", "RG30"}, 51.454, -0.978},
	{"Southampton", "South East", []string{"SO14", "SO15", "SO17"}, 50.910, -1.404},
	{"Portsmouth", "South East", []string{"PO1", "PO4", "PO5"}, 50.798, -1.091},
	{"Canterbury", "South East", []string{"CT1", "CT2"}, 51.280, 1.080},
	{"Milton Keynes", "South East", []string{"MK6", "MK9"}, 52.041, -0.759},
	// South West
	{"Bristol", "South West", []string{"BS1", "BS2", "BS3", "BS5", "BS6"}, 51.455, -2.588},
	{"Plymouth", "South West", []string{"PL1", "PL2", "PL4"}, 50.376, -4.143},
	{"Exeter", "South West", []string{"EX1", "EX2", "EX4"}, 50.718, -3.534},
	{"Bath", "South West", []string{"BA1", "BA2"}, 51.381, -2.359},
	{"Swindon", "South West", []string{"SN1", "SN2"}, 51.558, -1.782},
	{"Bournemouth", "South West", []string{"BH1", "BH8"}, 50.720, -1.880},
	// East of England
	{"Norwich", "East of England", []string{"NR1", "NR2", "NR3"}, 52.630, 1.297},
	{"Cambridge", "East of England", []string{"CB1", "CB2", "CB4"}, 52.205, 0.122},
	{"Ipswich", "East of England", []string{"IP1", "IP3", "IP4"}, 52.056, 1.148},
	{"Colchester", "East of England", []string{"CO1", "CO2", "CO4"}, 51.889, 0.901},
	{"Luton", "East of England", []string{"LU1", "LU2", "LU4"}, 51.879, -0.417},
	{"Peterborough", "East of England", []string{"PE1"}, 52.573, -0.241},
	// West Midlands
	{"Birmingham", "West Midlands", []string{"B5", "B12", "B13", "B29", "B30"}, 52.486, -1.890},
	{"Coventry", "West Midlands", []string{"CV1", "CV2", "CV5", "CV6"}, 52.406, -1.512},
	{"Wolverhampton", "West Midlands", []string{"WV1", "WV3", "WV10"}, 52.587, -2.129},
	{"Stoke-on-Trent", "West Midlands", []string{"ST1", "ST4", "ST6"}, 53.003, -2.180},
	{"Walsall", "West Midlands", []string{"WS1", "WS2"}, 52.586, -1.982},
	// East Midlands
	{"Nottingham", "East Midlands", []string{"NG1", "NG3", "NG7", "NG9"}, 52.954, -1.158},
	{"Leicester", "East Midlands", []string{"LE1", "LE2", "LE3", "LE5"}, 52.637, -1.140},
	{"Derby", "East Midlands", []string{"DE1", "DE22", "DE23"}, 52.922, -1.476},
	{"Lincoln", "East Midlands", []string{"LN1", "LN2"}, 53.230, -0.540},
	{"Northampton", "East Midlands", []string{"NN1", "NN2"}, 52.240, -0.902},
	// Yorkshire and the Humber
	{"Leeds", "Yorkshire and the Humber", []string{"LS2", "LS6", "LS7", "LS8", "LS11"}, 53.800, -1.549},
	{"Sheffield", "Yorkshire and the Humber", []string{"S1", "S2", "S7", "S10", "S11"}, 53.381, -1.470},
	{"Hull", "Yorkshire and the Humber", []string{"HU1", "HU3", "HU5", "HU9"}, 53.744, -0.332},
	{"Bradford", "Yorkshire and the Humber", []string{"BD1", "BD3", "BD7", "BD9"}, 53.795, -1.759},
	{"York", "Yorkshire and the Humber", []string{"YO1", "YO10", "YO31"}, 53.958, -1.082},
	{"Huddersfield", "Yorkshire and the Humber", []string{"HD1", "HD2"}, 53.645, -1.785},
	{"Wakefield", "Yorkshire and the Humber", []string{"WF1", "WF2"}, 53.683, -1.499},
	// North West
	{"Manchester", "North West", []string{"M1", "M4", "M13", "M14", "M20"}, 53.480, -2.242},
	{"Salford", "North West", []string{"M3", "M5", "M6", "M7"}, 53.488, -2.291},
	{"Liverpool", "North West", []string{"L1", "L6", "L8", "L15", "L17"}, 53.408, -2.992},
	{"Preston", "North West", []string{"PR1", "PR2"}, 53.763, -2.703},
	{"Lancaster", "North West", []string{"LA1"}, 54.047, -2.801},
	{"Bolton", "North West", []string{"BL1", "BL3"}, 53.578, -2.429},
	{"Stockport", "North West", []string{"SK1", "SK4"}, 53.410, -2.157},
	{"Wigan", "North West", []string{"WN1"}, 53.545, -2.632},
	// North East
	{"Newcastle upon Tyne", "North East", []string{"NE1", "NE2", "NE4", "NE6"}, 54.978, -1.617},
	{"Sunderland", "North East", []string{"SR1", "SR2", "SR4"}, 54.906, -1.383},
	{"Durham", "North East", []string{"DH1"}, 54.776, -1.576},
	{"Middlesbrough", "North East", []string{"TS1", "TS5"}, 54.574, -1.235},
	{"Gateshead", "North East", []string{"NE8"}, 54.952, -1.603},
	// Wales
	{"Cardiff", "Wales", []string{"CF10", "CF11", "CF24"}, 51.481, -3.179},
	{"Swansea", "Wales", []string{"SA1", "SA2"}, 51.621, -3.944},
	{"Newport", "Wales", []string{"NP19", "NP20"}, 51.588, -2.998},
	{"Wrexham", "Wales", []string{"LL11", "LL13"}, 53.046, -2.993},
	{"Bangor", "Wales", []string{"LL57"}, 53.227, -4.129},
	// Scotland
	{"Glasgow", "Scotland", []string{"G1", "G3", "G12", "G41"}, 55.864, -4.252},
	{"Edinburgh", "Scotland", []string{"EH1", "EH6", "EH8", "EH11"}, 55.953, -3.189},
	{"Dundee", "Scotland", []string{"DD1", "DD3"}, 56.462, -2.971},
	{"Aberdeen", "Scotland", []string{"AB10", "AB24", "AB25"}, 57.149, -2.094},
	{"Inverness", "Scotland", []string{"IV1", "IV2"}, 57.478, -4.224},
	{"Stirling", "Scotland", []string{"FK8"}, 56.117, -3.937},
	// Northern Ireland
	{"Belfast", "Northern Ireland", []string{"BT1", "BT7", "BT9"}, 54.597, -5.930},
	{"Derry", "Northern Ireland", []string{"BT48"}, 54.997, -7.309},
	{"Newry", "Northern Ireland", []string{"BT34"}, 54.176, -6.349},
}
